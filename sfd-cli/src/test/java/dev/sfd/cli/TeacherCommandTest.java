package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.core.teachers.Checksums;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sfd teacher info} and a tiny {@code sfd teacher train}. */
class TeacherCommandTest {

    @TempDir
    Path dir;

    @Test
    void infoPrintsTheContractOfTheCommittedTeacher() {
        StringWriter out = new StringWriter();
        int code = run(out, "teacher", "info", "mixture2d");
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("checksum: OK"), out.toString());
        assertTrue(out.toString().contains("sfd.time_embedding = time_embedding"), out.toString());
        assertTrue(out.toString().contains("contract: OK"), out.toString());
    }

    @Test
    void trainWritesAValidTeacherWithItsChecksum() throws Exception {
        Path file = dir.resolve("m.onnx");
        StringWriter out = new StringWriter();
        int code = run(out, "teacher", "train", "--dataset", "mixture2d", "--steps", "20", "--batch", "64",
                "--threads", "1", "--out", file.toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("\"steps\":20"), out.toString());
        assertEquals(Checksums.sha256(Files.readAllBytes(file)), Files.readString(Checksums.companion(file)).trim());
        BuiltinTeachers.loadVerified(file);
    }

    private static int run(StringWriter out, String... args) {
        CommandLine cmd = SfdCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(out));
        return cmd.execute(args);
    }
}
