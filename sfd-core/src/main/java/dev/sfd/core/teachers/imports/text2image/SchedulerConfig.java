package dev.sfd.core.teachers.imports.text2image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.teachers.imports.ImportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A diffusers {@code scheduler_config.json}: the discrete VP/DDPM schedule (ᾱ table over
 * {@code num_train_timesteps} int64 timesteps) and what the UNet predicts.
 */
public record SchedulerConfig(String betaSchedule, double betaStart, double betaEnd, int trainSteps,
        String predictionType, AlphaBarTable alphaBar) {

    /** Reads {@code file}; unknown schedules or prediction types are refused with the accepted values. */
    public static SchedulerConfig read(Path file) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ImportException(null, "scheduler config " + file + " cannot be read as JSON: " + e.getMessage());
        }
        String schedule = n.path("beta_schedule").asText("linear");
        double start = n.path("beta_start").asDouble(0.0001);
        double end = n.path("beta_end").asDouble(0.02);
        int steps = n.path("num_train_timesteps").asInt(1000);
        String prediction = n.path("prediction_type").asText("epsilon");
        if (steps < 2) {
            throw new ImportException(null, "scheduler config " + file + ": num_train_timesteps is " + steps
                    + ", must be at least 2; fix the file");
        }
        AlphaBarTable table = switch (schedule) {
            case "scaled_linear" -> AlphaBarTable.scaledLinear(start, end, steps);
            case "linear" -> AlphaBarTable.linear(start, end, steps);
            default -> throw new ImportException(null, "scheduler config " + file + ": beta_schedule '" + schedule
                    + "' is not supported; use scaled_linear or linear (or convert the schedule to one of them)");
        };
        if (!prediction.equals("epsilon") && !prediction.equals("v_prediction")) {
            throw new ImportException(null, "scheduler config " + file + ": prediction_type '" + prediction
                    + "' is not supported; a text-to-image teacher must predict epsilon or v_prediction");
        }
        return new SchedulerConfig(schedule, start, end, steps, prediction, table);
    }

    /** One line for reports. */
    public String describe() {
        return String.format(Locale.ROOT, "VP/DDPM %s β %g..%g over %d int64 timesteps, %s", betaSchedule, betaStart,
                betaEnd, trainSteps, predictionType);
    }

    static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve("scheduler").resolve("scheduler_config.json"));
    }
}
