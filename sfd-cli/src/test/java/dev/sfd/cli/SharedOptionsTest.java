package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The option blocks distill, evaluate and teacher import share are one definition each (picocli mixins). */
class SharedOptionsTest {

    private static OptionSpec option(String path, String name) {
        CommandLine cmd = SfdCommand.commandLine();
        for (String part : path.split(" ")) {
            cmd = cmd.getSubcommands().get(part);
            assertNotNull(cmd, path);
        }
        OptionSpec o = cmd.getCommandSpec().findOption(name);
        assertNotNull(o, "sfd " + path + " has " + name);
        return o;
    }

    @Test
    void teacherGraphOptionsAreTheSameOnDistillAndTeacherImport() {
        for (String name : List.of("--sample-shape", "--classes", "--t-min", "--t-max", "--inject", "--inject-dim")) {
            OptionSpec distill = option("distill", name);
            OptionSpec imported = option("teacher import", name);
            assertEquals(List.of(distill.description()), List.of(imported.description()), name);
            assertEquals(distill.type(), imported.type(), name);
        }
    }

    @Test
    void teacherSelectionIsTheSameOnDistillAndEvaluate() {
        for (String name : List.of("--teacher", "--threads")) {
            OptionSpec distill = option("distill", name);
            OptionSpec evaluate = option("evaluate", name);
            assertEquals(List.of(distill.description()), List.of(evaluate.description()), name);
            assertEquals(distill.required(), evaluate.required(), name);
        }
    }

    @Test
    void evaluationSeedOptionsAreTheSameOnEvaluateStudentQualityAndTeacherStability() {
        for (String name : List.of("--seed-set", "--seed-base", "--bootstrap", "--bootstrap-seed")) {
            OptionSpec evaluate = option("evaluate", name);
            for (String other : List.of("student-quality", "teacher stability")) {
                OptionSpec o = option(other, name);
                assertEquals(List.of(evaluate.description()), List.of(o.description()), other + " " + name);
                assertEquals(evaluate.type(), o.type(), other + " " + name);
            }
        }
    }
}
