package dev.sfd.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local stack's S3 server through the MinIO client: bucket, put/stat/get/list, and auth. */
@ExtendWith(LocalStackExtension.class)
class S3StackTest {

    @Test
    void bucketObjectsAndUserMetadataRoundTrip(LocalStack stack) throws Exception {
        String bucket = stack.settings().bucket();
        byte[] body = "student weights go here".getBytes(StandardCharsets.UTF_8);
        MinioClient client = stack.newMinioClient();
        try {
            assertTrue(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
            String key = "students/test/v1/student.onnx";
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(body), body.length, -1)
                    .userMetadata(Map.of("sha256", "abc123", "step", "42"))
                    .contentType("application/octet-stream").build());

            StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            assertEquals(body.length, stat.size());
            assertEquals("abc123", stat.userMetadata().get("sha256"));
            assertEquals("42", stat.userMetadata().get("step"));

            try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                assertArrayEquals(body, in.readAllBytes());
            }

            List<String> keys = new ArrayList<>();
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix("students/test/").recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            assertEquals(List.of(key), keys);
        } finally {
            StackProbe.closeQuietly(client);
        }
    }

    @Test
    void aWrongSecretIsRefused(LocalStack stack) {
        MinioClient client = MinioClient.builder().endpoint(stack.endpoints().s3Endpoint())
                .credentials(stack.settings().accessKey(), "not-the-secret").region("us-east-1").build();
        try {
            ErrorResponseException e = assertThrows(ErrorResponseException.class, () ->
                    client.bucketExists(BucketExistsArgs.builder().bucket(stack.settings().bucket()).build()));
            assertEquals(403, e.response().code());
            StackUnavailableException probe = assertThrows(StackUnavailableException.class, () ->
                    StackProbe.checkS3(stack.endpoints().s3Endpoint(), stack.settings().accessKey(), "wrong",
                            stack.settings().bucket()));
            assertTrue(probe.getMessage().contains("refused the credentials"), probe.getMessage());
        } finally {
            StackProbe.closeQuietly(client);
        }
    }
}
