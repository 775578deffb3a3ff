package dev.sfd.cli;

import dev.sfd.stack.StackEndpoints;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a client of a local stack needs, as environment variables: the ones the services read
 * (Quarkus maps {@code KAFKA_BOOTSTRAP_SERVERS} onto {@code kafka.bootstrap.servers},
 * {@code SFD_S3_*} onto {@code sfd.s3.*}) and the AWS CLI's, with the two checksum settings
 * without which the AWS CLI fails on s3proxy ({@code NotImplemented}).
 */
final class StackExports {

    private StackExports() {
    }

    static Map<String, String> of(StackEndpoints e) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", e.bootstrapServers());
        env.put("SFD_S3_ENDPOINT", e.s3Endpoint());
        env.put("SFD_S3_ACCESS_KEY", e.accessKey());
        env.put("SFD_S3_SECRET_KEY", e.secretKey());
        env.put("SFD_S3_BUCKET", e.bucket());
        env.put("AWS_ENDPOINT_URL", e.s3Endpoint());
        env.put("AWS_ACCESS_KEY_ID", e.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", e.secretKey());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        return env;
    }

    /** One {@code export} line per variable, values quoted for a POSIX shell. */
    static String block(StackEndpoints e) {
        StringBuilder b = new StringBuilder("# copy-paste into a shell: the stack's endpoints and credentials (the"
                + " services, kcat -b $KAFKA_BOOTSTRAP_SERVERS, aws s3 ls s3://$SFD_S3_BUCKET)\n");
        of(e).forEach((k, v) -> b.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        return b.toString();
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:@,+=-]+") ? v : "'" + v.replace("'", "'\\''") + "'";
    }
}
