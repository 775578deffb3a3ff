package dev.sfd.pipeline.sampler;

/**
 * What one request may ask for (configuration {@code sfd.sampler.max-steps}, {@code max-count},
 * {@code min-guidance}, {@code max-guidance}).
 *
 * @param maxSteps    largest step count N (and NFE) a request may ask for
 * @param maxCount    most samples in one request
 * @param minGuidance smallest guidance scale ω
 * @param maxGuidance largest guidance scale ω
 */
public record SamplerLimits(int maxSteps, int maxCount, double minGuidance, double maxGuidance) {

    public static final SamplerLimits DEFAULTS = new SamplerLimits(64, 64, 0.0, 20.0);

    public SamplerLimits {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("sfd.sampler.max-steps must be >= 1, got " + maxSteps);
        }
        if (maxCount < 1) {
            throw new IllegalArgumentException("sfd.sampler.max-count must be >= 1, got " + maxCount);
        }
        if (!Double.isFinite(minGuidance) || !Double.isFinite(maxGuidance) || minGuidance > maxGuidance
                || minGuidance > 1 || maxGuidance < 1) {
            throw new IllegalArgumentException("sfd.sampler.min-guidance/max-guidance must be finite with min <= 1 <= max,"
                    + " got [" + minGuidance + ", " + maxGuidance + "]");
        }
    }
}
