package dev.sfd.core.teachers;

import java.util.List;

/** The built-in teacher data sets by name. */
public final class TeacherDatasets {

    public static final String MIXTURE2D = "mixture2d";
    public static final String SHAPES = "shapes";
    public static final List<String> NAMES = List.of(MIXTURE2D, SHAPES);
    /** Data set of an imported teacher whose training data SFD does not know (evaluated against itself). */
    public static final String CUSTOM = "custom";

    private TeacherDatasets() {
    }

    /** The training data of {@code name}. */
    public static TeacherData of(String name) {
        return switch (name) {
            case MIXTURE2D -> new Mixture2dTeacherData();
            case SHAPES -> new ShapesTeacherData();
            default -> throw new IllegalArgumentException("unknown teacher data set '" + name + "', expected one of "
                    + NAMES);
        };
    }
}
