package dev.sfd.cli;

import picocli.CommandLine.Option;

/** Which teacher a command runs, and on how many ONNX Runtime threads (a picocli mixin of distill and evaluate). */
final class TeacherSelection {

    @Option(names = "--teacher", required = true, description = "mixture2d | shapes | path to a teacher .onnx file | a diffusers "
            + "ONNX text-to-image pipeline folder or its .teacher.json manifest (sfd teacher import).")
    String teacher;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
    int threads;
}
