package dev.sfd.sampler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The two playground set-ups: a mixture2d student and a shapes student, each with its teacher configured. */
final class PlaygroundProfiles {

    private PlaygroundProfiles() {
    }

    /** A mixture2d starter student (v1 in the store at start) and the built-in mixture2d teacher. */
    public static class Mixture implements QuarkusTestProfile {

        static final String STUDENT = "playground-mixture";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sfd.sampler.teacher", "mixture2d", "sfd.sampler.events-interval", "200ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SamplerTestStack.class, Map.of("student", STUDENT,
                    "dataset", "mixture2d")));
        }
    }

    /** A shapes starter student and the built-in shapes teacher (reference NFE kept small: a shared CPU). */
    public static class Shapes implements QuarkusTestProfile {

        static final String STUDENT = "playground-shapes";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sfd.sampler.teacher", "shapes", "sfd.sampler.teacher-reference-nfe", "8");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SamplerTestStack.class, Map.of("student", STUDENT,
                    "dataset", "shapes")));
        }
    }
}
