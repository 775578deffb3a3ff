package dev.sfd.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GET of a service's local endpoint ({@code /q/metrics}, {@code /q/health/ready}): body, or the error as text. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Http() {
    }

    static String get(int port, String path) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The sum of a Prometheus counter's samples whose line starts with {@code name} and contains {@code label}. */
    static double metric(String metricsText, String name, String label) {
        double sum = 0;
        for (String line : metricsText.split("\n")) {
            if (line.startsWith(name) && (label == null || line.contains(label))) {
                String[] parts = line.trim().split("\\s+");
                try {
                    sum += Double.parseDouble(parts[parts.length - 1]);
                } catch (NumberFormatException ignored) {
                    // not a sample line
                }
            }
        }
        return sum;
    }
}
