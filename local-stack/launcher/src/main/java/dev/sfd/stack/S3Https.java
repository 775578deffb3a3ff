package dev.sfd.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An extra HTTPS endpoint for the local S3 server (security tests): s3proxy's secure endpoint with
 * the key store given here. The plain HTTP endpoint stays (the stack's own bucket work uses it);
 * clients under test connect to {@code https://127.0.0.1:<port>}.
 *
 * @param port             port of the HTTPS endpoint (0 = a free one)
 * @param keyStore         PKCS12 key store with the server certificate and key (its subject
 *                         alternative names must include 127.0.0.1)
 * @param keyStorePassword its password (written only to the server's own configuration file)
 */
public record S3Https(int port, Path keyStore, String keyStorePassword) {

    public S3Https {
        if (keyStore == null || !Files.isRegularFile(keyStore)) {
            throw new IllegalArgumentException("the HTTPS S3 endpoint needs a PKCS12 key store file; got " + keyStore);
        }
        if (keyStorePassword == null || keyStorePassword.isEmpty()) {
            throw new IllegalArgumentException("the HTTPS S3 endpoint's key store needs a password");
        }
    }

    S3Https withPort(int resolved) {
        return new S3Https(resolved, keyStore, keyStorePassword);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "S3Https[port=" + port + ", keyStore=" + keyStore + ", keyStorePassword=<redacted>]";
    }
}
