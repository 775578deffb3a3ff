package dev.sfd.core.data;

import java.util.Objects;

/** The attributes of one rendered image: which shape, in which colour. */
public record ShapeLabel(Shape shape, Colour colour) {

    public ShapeLabel {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
    }

    @Override
    public String toString() {
        return colour.word() + " " + shape.word();
    }
}
