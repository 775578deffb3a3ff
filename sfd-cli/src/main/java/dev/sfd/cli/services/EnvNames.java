package dev.sfd.cli.services;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Configuration property → the environment variable Quarkus maps to it ({@code sfd.s3.access-key} → {@code SFD_S3_ACCESS_KEY}). */
public final class EnvNames {

    private EnvNames() {
    }

    public static String of(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    public static Map<String, String> of(Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((k, v) -> env.put(of(k), v));
        return env;
    }
}
