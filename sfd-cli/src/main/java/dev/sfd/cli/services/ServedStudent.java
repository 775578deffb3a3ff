package dev.sfd.cli.services;

import dev.sfd.api.v1.GenerateRequest;
import dev.sfd.api.v1.GenerateResponse;
import dev.sfd.api.v1.OutputFormat;
import dev.sfd.api.v1.Sample;
import dev.sfd.core.distill.FewStepSampler;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The student as sampler-service serves it, as a {@link FewStepSampler}: samples come over gRPC
 * (raw tensors, one request per label and chunk of seeds), so the quality evaluation measures what
 * users get. Every response must come from {@code version}, or sampling fails: a quality row must
 * not mix two models.
 */
public final class ServedStudent implements FewStepSampler {

    private static final int CHUNK = 64; // sampler-service's default sfd.sampler.max-count

    private final SamplerClient client;
    private final StudentMetadata metadata;
    private final long version;

    /** @param metadata the served version's metadata (read from its checkpoint in the store) */
    public ServedStudent(SamplerClient client, StudentMetadata metadata, long version) {
        this.client = client;
        this.metadata = metadata;
        this.version = version;
    }

    @Override
    public StudentMetadata metadata() {
        return metadata;
    }

    @Override
    public StudentSample sampleAtNfe(long[] seeds, int[] labels, int nfe, double omega) {
        int per = 1;
        for (int i = 0; i < metadata.sampleShape().length; i++) {
            per *= metadata.sampleShape()[i];
        }
        float[] out = new float[seeds.length * per];
        Map<Integer, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < seeds.length; i++) {
            byLabel.computeIfAbsent(labels == null ? -1 : labels[i], k -> new ArrayList<>()).add(i);
        }
        GenerateResponse last = null;
        for (Map.Entry<Integer, List<Integer>> e : byLabel.entrySet()) {
            List<Integer> idx = e.getValue();
            for (int from = 0; from < idx.size(); from += CHUNK) {
                List<Integer> part = idx.subList(from, Math.min(idx.size(), from + CHUNK));
                GenerateRequest.Builder req = GenerateRequest.newBuilder().setLabel(e.getKey()).setNfe(nfe)
                        .setGuidance(omega).setCount(part.size()).setOutput(OutputFormat.OUTPUT_FORMAT_TENSOR);
                part.forEach(i -> req.addSeeds(seeds[i]));
                last = client.generate(req.build());
                if (last.getModel().getVersion() != version) {
                    throw new IllegalStateException("sampler answered with version " + last.getModel().getVersion()
                            + " while version " + version + " was being evaluated; pin the version to evaluate it");
                }
                for (Sample s : last.getSamplesList()) {
                    int target = part.get(s.getIndex());
                    List<Float> values = s.getTensor().getValuesList();
                    for (int j = 0; j < per; j++) {
                        out[target * per + j] = values.get(j);
                    }
                }
            }
        }
        long[] shape = new long[metadata.sampleShape().length + 1];
        shape[0] = seeds.length;
        for (int i = 0; i < metadata.sampleShape().length; i++) {
            shape[i + 1] = metadata.sampleShape()[i];
        }
        double[] t = last.getTimestampsList().stream().mapToDouble(Double::doubleValue).toArray();
        return new StudentSample(new FloatTensor(shape, out), last.getSteps(), last.getNfe(), t, omega,
                !last.getTrained(), last.getWarning());
    }
}
