package dev.sfd.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The jars a server runs on, as resolved by Maven when the {@code local-stack/*-runtime} modules
 * were built (resource {@code sfd-stack/<name>.classpath}). Every jar is checked before a start, so
 * a missing jar is reported by name instead of failing inside the child JVM.
 */
final class ServerClasspath {

    private ServerClasspath() {
    }

    /** The classpath string for server {@code name} ("kafka" or "s3"). */
    static String of(String name) {
        String resource = "sfd-stack/" + name + ".classpath";
        String listed;
        try (InputStream in = ServerClasspath.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + name + " runtime classpath (" + resource
                        + ") is not on the classpath: build the project first (mvn -B install -DskipTests)");
            }
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
        List<String> missing = new ArrayList<>();
        for (String jar : listed.split(java.io.File.pathSeparator)) {
            if (!jar.isBlank() && !Files.isRegularFile(Path.of(jar))) {
                missing.add(jar);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " jar(s) of the " + name
                    + " server are missing, first: " + missing.get(0)
                    + ". Re-resolve them with: mvn -B -pl local-stack/" + name + "-runtime package");
        }
        return listed;
    }
}
