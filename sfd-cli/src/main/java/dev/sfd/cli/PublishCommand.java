package dev.sfd.cli;

import dev.sfd.cli.services.PromptPublisher;
import dev.sfd.contract.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sfd publish}: prompt records to {@code sfd.prompts}, from arguments, a file or stdin. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish prompts to the prompt topic: arguments, --file, or stdin ('-'); each line either a "
                + "JSON record {\"id\",\"prompt\",\"count\",\"seed\"} or plain prompt text. Prints what the broker "
                + "acknowledged.")
final class PublishCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", description = "Prompts (text or JSON records); '-' reads lines from stdin.")
    List<String> prompts = new ArrayList<>();

    @Option(names = "--file", description = "Read one prompt (text or JSON record) per line from this file.")
    Path file;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = Topics.PROMPTS, description = "Prompt topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--count", defaultValue = "1024", description = "Trajectories per text prompt (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", description = "Seed of the first text prompt (others follow on); none = derived from the id.")
    Long seed;

    @Option(names = "--id-prefix", defaultValue = "cli", description = "Ids of text prompts: <prefix>-<n> (default ${DEFAULT-VALUE}).")
    String idPrefix;

    @Override
    public Integer call() throws Exception {
        List<String> lines = new ArrayList<>();
        for (String p : prompts) {
            if (p.equals("-")) {
                lines.addAll(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).lines().toList());
            } else {
                lines.add(p);
            }
        }
        if (file != null) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        if (lines.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("nothing to publish: give prompts as arguments, --file <path>, or '-' "
                    + "for stdin");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (PromptPublisher publisher = new PromptPublisher(bootstrapServers, topic)) {
            List<PromptPublisher.Sent> sent = publisher.publish(lines, idPrefix, count, seed);
            sent.forEach(s -> out.printf("accepted %-24s %s/%d@%d%n", s.key(), topic, s.partition(), s.offset()));
            out.printf("%d record(s) acknowledged by the broker%n", sent.size());
        }
        out.flush();
        return 0;
    }
}
