package dev.sfd.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sfd}: the project's command-line tool. */
@Command(name = "sfd", mixinStandardHelpOptions = true, version = "sfd 0.1.0",
        description = "Simple and Fast Distillation of diffusion models: local stack, demo and tools.",
        subcommands = {LocalStackCommand.class, ServicesCommand.class, DemoCommand.class, LagCommand.class,
                PublishCommand.class, GenerateCommand.class, TeacherCommand.class,
                DistillCommand.class, EvaluateCommand.class, StudentQualityCommand.class,
                CommandLine.HelpCommand.class})
public final class SfdCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new SfdCommand())
                .setExecutionExceptionHandler((e, c, parsed) -> {
                    c.getErr().println("sfd: " + e.getMessage());
                    return 1;
                });
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
