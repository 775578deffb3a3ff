package dev.sfd.core.diffusion.mixture;

import dev.sfd.core.diffusion.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The built-in labelled 2-D data set {@code mixture2d}: eight Gaussian modes on a ring, each with
 * a class label (its index), a compass name and a colour, so a prompt naming a mode ("a red dot",
 * "north-east") selects it as the condition. Mode 0 "north"/"red" sits at (0, r), then clockwise.
 */
public final class Mixture2d {

    /** One named mode: label, compass name, colour name and centre. */
    public record Mode(int label, String name, String color, double x, double y) {
    }

    public static final double RADIUS = 2.0;
    public static final double MODE_STD = 0.25;

    private static final String[] NAMES = {"north", "north-east", "east", "south-east",
        "south", "south-west", "west", "north-west"};
    private static final String[] COLORS = {"red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"};

    private final List<Mode> modes;
    private final GaussianMixture mixture;

    private Mixture2d(List<Mode> modes, double std) {
        this.modes = List.copyOf(modes);
        int k = modes.size();
        double[] w = new double[k];
        double[][] mu = new double[k][];
        double[] s = new double[k];
        int[] labels = new int[k];
        for (int i = 0; i < k; i++) {
            Mode m = modes.get(i);
            w[i] = 1;
            mu[i] = new double[] {m.x(), m.y()};
            s[i] = std;
            labels[i] = m.label();
        }
        this.mixture = GaussianMixture.isotropic(w, mu, s, labels);
    }

    /** The default data set: 8 equally weighted modes on a ring of radius 2, std 0.25. */
    public static Mixture2d ring() {
        List<Mode> modes = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            double a = i * 2 * Math.PI / NAMES.length; // clockwise from north
            modes.add(new Mode(i, NAMES[i], COLORS[i], RADIUS * Math.sin(a), RADIUS * Math.cos(a)));
        }
        return new Mixture2d(modes, MODE_STD);
    }

    public GaussianMixture mixture() {
        return mixture;
    }

    public GaussianMixtureNoiseModel noiseModel() {
        return new GaussianMixtureNoiseModel(mixture);
    }

    public List<Mode> modes() {
        return modes;
    }

    /**
     * The label of the mode a prompt names (by compass name or colour, whole words,
     * case-insensitive, longest name first so "north-east" wins over "north"), or
     * {@link Condition#NULL_LABEL} when the prompt names none.
     */
    public int labelForPrompt(String prompt) {
        String p = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
        List<String[]> names = new ArrayList<>();
        for (Mode m : modes) {
            names.add(new String[] {m.name(), Integer.toString(m.label())});
            names.add(new String[] {m.color(), Integer.toString(m.label())});
        }
        names.sort(Comparator.comparingInt((String[] a) -> -a[0].length()));
        for (String[] n : names) {
            if (Pattern.compile("(?<![\\w-])" + Pattern.quote(n[0]) + "(?![\\w-])").matcher(p).find()) {
                return Integer.parseInt(n[1]);
            }
        }
        return Condition.NULL_LABEL;
    }

    /** The condition for a batch of prompts (∅ rows for prompts naming no mode). */
    public Condition conditionForPrompts(List<String> prompts) {
        int[] labels = new int[prompts.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelForPrompt(prompts.get(i));
        }
        return Condition.labels(labels);
    }
}
