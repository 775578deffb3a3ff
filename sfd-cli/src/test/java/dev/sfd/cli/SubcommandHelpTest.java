package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} on every subcommand, the method-style ones of local-stack and services included (issue 27). */
class SubcommandHelpTest {

    @Test
    void methodStyleSubcommandsPrintTheirUsage() {
        for (List<String> cmd : List.of(List.of("local-stack", "up"), List.of("local-stack", "down"),
                List.of("local-stack", "status"), List.of("local-stack", "env"), List.of("services", "up"),
                List.of("services", "down"), List.of("services", "status"))) {
            for (String flag : List.of("--help", "-h")) {
                String[] args = java.util.stream.Stream.concat(cmd.stream(), java.util.stream.Stream.of(flag))
                        .toArray(String[]::new);
                Object[] r = ByotFixtures.run(args);
                String out = (String) r[1];
                assertEquals(0, (int) r[0], String.join(" ", args) + "\n" + out);
                assertTrue(out.contains("Usage: sfd " + String.join(" ", cmd)), out);
                assertTrue(out.contains("-h, --help"), out);
                assertTrue(!out.contains("Unknown option"), out);
            }
        }
        assertTrue(ByotFixtures.ok("local-stack", "up", "--help").contains("--detach"), "the method's own options are listed");
    }

    @Test
    void everyCommandInTheTreeHasHelp() {
        check(SfdCommand.commandLine());
        assertTrue(ByotFixtures.ok("help", "teacher").contains("Usage: sfd teacher"), "the help subcommand still works");
    }

    /** picocli formats descriptions with String.format: a lone "%" prints a [picocli WARN] above the user's help. */
    @Test
    void helpRendersWithoutPicocliWarnings() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            render(SfdCommand.commandLine());
        } finally {
            System.setErr(err);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!warnings.contains("picocli WARN"), "write a literal % as %% in descriptions:\n" + warnings);
    }

    private static void render(CommandLine cmd) {
        assertTrue(cmd.getUsageMessage().contains("Usage:"), cmd.getCommandSpec().qualifiedName());
        cmd.getSubcommands().values().forEach(SubcommandHelpTest::render);
    }

    private static void check(CommandLine cmd) {
        assertNotNull(cmd.getCommandSpec().findOption("--help"), cmd.getCommandSpec().qualifiedName() + " has no --help");
        cmd.getSubcommands().values().forEach(SubcommandHelpTest::check);
    }
}
