package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the JDK's keytool in a test's temporary directory (nothing is
 * committed): a self-signed server certificate for 127.0.0.1/localhost in a PKCS12 key store, its
 * PEM export (what a client trusts) and a PKCS12 trust store holding it.
 */
final class Certificates {

    private Certificates() {
    }

    /** A PKCS12 key store with a fresh key and self-signed certificate (valid 2 days); its PEM goes to {@code pem}. */
    static void serverKeyStore(Path keyStore, String alias, String password, Path pem) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", password,
                "-file", pem.toString());
    }

    /** A PKCS12 trust store holding the certificate in {@code pem}. */
    static void trustStore(Path trustStore, Path pem, String password) throws Exception {
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", pem.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", password);
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    }
}
