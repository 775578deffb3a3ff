package dev.sfd.core.store;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one retry of S3 calls that the server failed (not ones it refused): HTTP 5xx, S3's
 * {@code SlowDown} / {@code InternalError} / {@code ServiceUnavailable} (S3 answers these in normal
 * operation), and a response that is not S3's XML (s3proxy answers a plain-text 500 while an upload
 * of the same key is in progress). Such a call is repeated up to {@code attempts} times in all,
 * waiting {@code initial}, doubled each time up to {@code max}. Refusals (403, NoSuchKey, a bad
 * request) and an unreachable endpoint fail at once: the callers have their own outage handling
 * (the trainer's publisher retries for as long as an outage lasts, the sampler keeps serving).
 *
 * @param attempts calls in all, >= 1 ({@code sfd.s3.server-error-attempts})
 * @param initial  wait before the second call ({@code sfd.s3.server-error-backoff})
 * @param max      longest wait between two calls
 */
public record S3Retry(int attempts, Duration initial, Duration max) {

    private static final Logger LOG = Logger.getLogger(S3Retry.class.getName());

    /** S3 error codes that mean "the server could not, try again", whatever the HTTP status. */
    public static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "ThrottlingException", "RequestThrottled");

    /** 4 calls, 200 ms, 400 ms, 800 ms apart: about 1.4 s of waiting at most. */
    public static final S3Retry DEFAULT = new S3Retry(4, Duration.ofMillis(200), Duration.ofSeconds(2));

    public S3Retry {
        if (attempts < 1) {
            throw new IllegalArgumentException("sfd.s3.server-error-attempts must be >= 1 (1 = no retry), got "
                    + attempts);
        }
        if (initial == null || initial.isNegative() || max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("sfd.s3.server-error-backoff must be >= 0 and <= " + max + ", got "
                    + initial);
        }
    }

    /** One S3 call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code call}, repeating it while it fails server-side; any other failure, or the last
     * server-side one, is thrown as it came.
     *
     * @param what the call, for the log line of a retry (e.g. "list s3://bucket/prefix")
     */
    public <T> T call(String what, Call<T> call) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (Exception e) {
                if (attempt >= attempts || !serverSide(e)) {
                    throw e;
                }
                long ms = delay(attempt).toMillis();
                LOG.log(Level.INFO, "S3 server error on " + what + " (attempt " + attempt + " of " + attempts + "): "
                        + describe(e) + "; calling again in " + ms + " ms");
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(ie);
                    throw e;
                }
            }
        }
    }

    /** The wait after failed call number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long ms = initial.toMillis();
        for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** Whether the server, not the request, failed: 5xx, a retryable S3 code, or a body that is not S3's XML. */
    public static boolean serverSide(Throwable e) {
        if (e instanceof InvalidResponseException || e instanceof ServerException) {
            return true;
        }
        if (e instanceof ErrorResponseException r) {
            if (r.errorResponse() != null && RETRYABLE_CODES.contains(r.errorResponse().code())) {
                return true;
            }
            return r.response() != null && r.response().code() >= 500;
        }
        return false;
    }

    private static String describe(Exception e) {
        if (e instanceof ErrorResponseException r && r.errorResponse() != null) {
            return r.errorResponse().code() + (r.response() != null ? " (HTTP " + r.response().code() + ")" : "");
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
