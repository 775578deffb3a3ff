package dev.sfd.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Student names become object-key prefixes: no name may reach another prefix of the bucket. */
class StudentNamesTest {

    @Test
    void ordinaryNamesMakeTheirOwnPrefix() {
        for (String ok : List.of("mixture2d-student", "e2e-student", "it.mixture2d_v2", "A", "0")) {
            assertEquals("students/" + ok + "/3/", CheckpointStore.prefix(ok, 3));
        }
    }

    @Test
    void traversalSeparatorsControlCharactersAndOversizedNamesAreRefused() {
        char[] long65 = new char[StudentNames.MAX_LENGTH + 1];
        Arrays.fill(long65, 'a');
        List<String> bad = List.of("", "..", "../teachers", "a/../../b", "x/1", "/abs", "a\\b", "a..b", ".hidden",
                "-flag", "new\nline", "tab\tname", "sp ace", "percent%2F", "ünïcode", new String(long65));
        for (String name : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CheckpointStore.prefix(name, 1), name);
            assertTrue(e.getMessage().contains("student name") && e.getMessage().contains("sfd.trainer.student-name"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "control characters are escaped in the message: " + e);
        }
        assertThrows(IllegalArgumentException.class, () -> CheckpointStore.studentPrefix(null));
    }

    @Test
    void settingsNeverPrintTheSecret() {
        ObjectStoreSettings s = new ObjectStoreSettings("http://127.0.0.1:9", "ak", "very-secret-value", "b", null);
        assertFalse(s.toString().contains("very-secret-value"), s.toString());
        assertTrue(s.toString().contains("<redacted>") && s.toString().contains("ak"), s.toString());
    }
}
