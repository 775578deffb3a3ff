package dev.sfd.core.teachers.imports.text2image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import dev.sfd.core.prompt.PromptCondition;
import dev.sfd.core.teachers.imports.ImportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline folder's training captions, {@code captions.json}: {@code templates} with {@code {c}}
 * (colour) and {@code {s}} (shape) slots, filled with every shape × colour word. For a shapes-world
 * pipeline every caption also names what the shapes classifier should see in its image.
 *
 * @param all every caption, template-major (template 0 with every shape × colour, then template 1, …)
 */
public record Captions(List<Caption> all) {

    /** File name inside the pipeline folder. */
    public static final String FILE = "captions.json";

    /** One caption and the shapes-world condition it names (null when a word is not a shapes colour/shape). */
    public record Caption(String text, PromptCondition condition) {
    }

    public static boolean exist(Path folder) {
        return Files.isRegularFile(folder.resolve(FILE));
    }

    public static Captions read(Path folder) {
        Path file = folder.resolve(FILE);
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ImportException(null, "captions " + file + " cannot be read as JSON: " + e.getMessage()
                    + "; write {\"templates\": [\"a {c} {s}\", …], \"shapes\": […], \"colours\": […]}");
        }
        List<String> templates = strings(n, "templates", file);
        List<String> shapes = strings(n, "shapes", file);
        List<String> colours = strings(n, "colours", file);
        List<Caption> all = new ArrayList<>();
        for (String t : templates) {
            for (String s : shapes) {
                for (String c : colours) {
                    all.add(new Caption(t.replace("{s}", s).replace("{c}", c), condition(c, s)));
                }
            }
        }
        return new Captions(List.copyOf(all));
    }

    public List<String> texts() {
        return all.stream().map(Caption::text).toList();
    }

    public int size() {
        return all.size();
    }

    private static PromptCondition condition(String colour, String shape) {
        Colour c = null;
        for (Colour v : Colour.values()) {
            c = v.word().equals(colour) ? v : c;
        }
        Shape s = null;
        for (Shape v : Shape.values()) {
            s = v.word().equals(shape) ? v : s;
        }
        return c == null || s == null ? null : new PromptCondition(c, s);
    }

    private static List<String> strings(JsonNode n, String key, Path file) {
        JsonNode a = n.path(key);
        if (!a.isArray() || a.isEmpty()) {
            throw new ImportException(null, "captions " + file + ": '" + key + "' must be a non-empty array of strings");
        }
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }
}
