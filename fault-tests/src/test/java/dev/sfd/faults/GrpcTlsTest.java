package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.SamplerGrpc;
import dev.sfd.stack.ServiceProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC over TLS: the packaged sampler started with a server certificate generated here (keytool,
 * a PKCS12 key store in the test's temporary directory; nothing committed) answers a client that
 * trusts that certificate, and refuses a plaintext client and a client that does not trust it.
 * An oversized request is refused with RESOURCE_EXHAUSTED and the server goes on answering.
 * The key-store password is passed like any secret (environment) and appears in no log.
 */
@Tag("faults")
class GrpcTlsTest {

    private static final String STORE_PASSWORD = "sfd-tls-store-pass-93c1f07e";

    @Test
    void samplerServesOverTlsOnly(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("sampler.p12");
        Path cert = dir.resolve("sampler.pem");
        keytool("-genkeypair", "-alias", "sampler", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "sampler", "-keystore", keyStore.toString(), "-storepass",
                STORE_PASSWORD, "-file", cert.toString());
        try (FaultStack fs = new FaultStack(dir.resolve("run"), 1)) {
            int grpcPort = ServiceProcess.freePort();
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("sfd.sampler.student", "tls-student");
            extra.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
            extra.put("quarkus.grpc.server.plain-text", "false");
            extra.put("quarkus.grpc.server.ssl.key-store", keyStore.toString());
            extra.put("quarkus.grpc.server.ssl.key-store-type", "PKCS12");
            extra.put("quarkus.grpc.server.ssl.key-store-password", STORE_PASSWORD);
            ServiceProcess sampler = fs.start("sampler-service", "sampler-tls", "sampler-service", fs.config(extra));
            sampler.awaitLive(Duration.ofMinutes(4));

            ManagedChannel trusted = NettyChannelBuilder.forAddress("localhost", grpcPort)
                    .sslContext(GrpcSslContexts.forClient().trustManager(cert.toFile()).build()).build();
            try {
                HealthCheckResponse r = awaitAnswer(trusted);
                assertTrue(r.getStatus() == HealthCheckResponse.ServingStatus.SERVING
                        || r.getStatus() == HealthCheckResponse.ServingStatus.NOT_SERVING, r.toString());
                // an oversized message (5 MiB prompt, over the 4 MiB inbound limit) is refused, the server lives on
                StatusRuntimeException big = assertThrows(StatusRuntimeException.class, () -> SamplerGrpc
                        .newBlockingStub(trusted).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .generate(GenerateRequest.newBuilder().setPrompt("x".repeat(5 << 20)).setCount(1).build()));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, big.getStatus().getCode(), big.toString());
                check(trusted);
            } finally {
                trusted.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }

            ManagedChannel plain = NettyChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
            ManagedChannel untrusted = NettyChannelBuilder.forAddress("localhost", grpcPort)
                    .sslContext(GrpcSslContexts.forClient().build()).build();
            try {
                for (ManagedChannel refused : List.of(plain, untrusted)) {
                    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                            () -> check(refused));
                    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
                }
            } finally {
                plain.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                untrusted.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
            sampler.close();
            SecretScan scan = new SecretScan(STORE_PASSWORD);
            for (Path log : fs.logFiles()) {
                scan.file(log);
            }
            assertEquals(List.of(), scan.leaks(), "the key-store password is in no log");
        }
    }

    private static HealthCheckResponse awaitAnswer(ManagedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        StatusRuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return check(channel);
            } catch (StatusRuntimeException e) {
                last = e; // the gRPC server may start a moment after the HTTP health endpoint
                Thread.sleep(1000);
            }
        }
        throw new AssertionError("no TLS answer within 2 minutes", last);
    }

    private static HealthCheckResponse check(ManagedChannel channel) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build());
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
    }
}
