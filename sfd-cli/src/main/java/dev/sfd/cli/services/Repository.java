package dev.sfd.cli.services;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's checkout is (the services' builds live there): {@code SFD_HOME}, or found upwards from here. */
public final class Repository {

    private Repository() {
    }

    public static Path root() {
        String home = System.getenv("SFD_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("teacher-service")) && Files.isDirectory(p.resolve("sfd-contract"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the SFD checkout from " + Path.of("").toAbsolutePath()
                + ": run from inside it, or set SFD_HOME to its root (the ./sfd wrapper does)");
    }
}
