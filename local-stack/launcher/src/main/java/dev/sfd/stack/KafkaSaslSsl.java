package dev.sfd.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An extra SASL_SSL listener for the local broker (security tests): TLS with the server key store
 * given here, and SASL/SCRAM-SHA-512 authentication of users created through the admin API
 * ({@link LocalStack#createScramUser}). The broker's PLAINTEXT listener stays as it is (the stack's
 * own admin work and inter-broker traffic use it); clients under test connect to this one.
 *
 * @param port             port of the listener (0 = a free one)
 * @param keyStore         PKCS12 key store holding the broker's certificate and key (its subject
 *                         alternative names must include 127.0.0.1, clients verify the host)
 * @param keyStorePassword its password (written only to the broker's own server.properties)
 */
public record KafkaSaslSsl(int port, Path keyStore, String keyStorePassword) {

    /** The SASL mechanism the listener enables. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    public KafkaSaslSsl {
        if (keyStore == null || !Files.isRegularFile(keyStore)) {
            throw new IllegalArgumentException("the SASL_SSL listener needs a PKCS12 key store file; got " + keyStore);
        }
        if (keyStorePassword == null || keyStorePassword.isEmpty()) {
            throw new IllegalArgumentException("the SASL_SSL listener's key store needs a password");
        }
    }

    KafkaSaslSsl withPort(int resolved) {
        return new KafkaSaslSsl(resolved, keyStore, keyStorePassword);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "KafkaSaslSsl[port=" + port + ", keyStore=" + keyStore + ", keyStorePassword=<redacted>]";
    }
}
