package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/** The committed "bring your own teacher" fixtures (fixtures/byot, made by make_fixtures.py) and report parsing. */
final class ByotFixtures {

    static final String MLP = "moons_eps_mlp.onnx";
    static final String UNET = "shapes_vp_unet.onnx";

    private ByotFixtures() {
    }

    /** The fixture file, found by walking up from the module directory to the repository's fixtures/byot. */
    static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("fixtures").resolve("byot").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        fail("fixture " + name + " not found under fixtures/byot of the repository");
        return null;
    }

    /** Copies a fixture into {@code dir} (imports write beside their input). */
    static Path copy(String name, Path dir) throws Exception {
        return Files.copy(file(name), dir.resolve(name));
    }

    /** Runs the sfd command line; returns {exit code, output}. */
    static Object[] run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cmd = SfdCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        int code = cmd.execute(args);
        return new Object[] {code, out.toString()};
    }

    /** Like {@link #run} but asserts exit code 0 and returns the output. */
    static String ok(String... args) {
        Object[] r = run(args);
        assertTrue((int) r[0] == 0, "sfd " + String.join(" ", args) + " failed:\n" + r[1]);
        return (String) r[1];
    }

    /**
     * The row of {@code nfe} in the table whose title contains {@code metric + " ("}: column → value.
     * Columns: euler, heun, dpm++3m, afs+dpm++3m, student, teacher@H. A bootstrap interval after a
     * value ("17.2 [15.9, 18.8]") is dropped: the value is the point estimate.
     */
    static Map<String, Double> row(String report, String metric, int nfe) {
        String[] lines = report.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(" " + metric + " (")) {
                String[] header = lines[i + 1].trim().split("\\s+");
                for (int j = i + 2; j < lines.length && !lines[j].isBlank(); j++) {
                    String[] cells = lines[j].replaceAll(" \\[[^\\]]*\\]\\*?", "").trim().split("\\s+");
                    if (cells[0].equals(Integer.toString(nfe))) {
                        Map<String, Double> row = new LinkedHashMap<>();
                        for (int k = 1; k < header.length && k < cells.length; k++) {
                            row.put(header[k], cells[k].equals("-") ? Double.NaN : Double.parseDouble(cells[k])); // - = no such sampler
                        }
                        return row;
                    }
                }
            }
        }
        fail("no " + metric + " row for NFE " + nfe + " in:\n" + report);
        return null;
    }
}
