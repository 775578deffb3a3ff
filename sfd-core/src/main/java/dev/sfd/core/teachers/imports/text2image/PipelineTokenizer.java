package dev.sfd.core.teachers.imports.text2image;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sfd.core.teachers.imports.ImportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pipeline's {@code tokenizer/} folder, run by the Hugging Face tokenizers library through DJL
 * ({@code ai.djl.huggingface:tokenizers}); no tokenization is written here. A {@code tokenizer.json} is
 * loaded as it is; a CLIP-style {@code vocab.json} + {@code merges.txt} is described as a BPE
 * {@code tokenizer.json} ({@link ClipBpeTokenizerJson}) and loaded the same way. Every prompt is padded
 * or truncated to {@code model_max_length}; {@link Tokens#truncated()} reports a cut.
 */
public final class PipelineTokenizer implements AutoCloseable {

    /** One encoded prompt: ids padded to the max length, whether it was cut, how many tokens were unknown. */
    public record Tokens(long[] ids, boolean truncated, int unknown) {
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final String kind;
    private final long unkId;

    private PipelineTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, String kind, long unkId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.kind = kind;
        this.unkId = unkId;
    }

    /** Loads {@code folder} (a pipeline's {@code tokenizer/}); {@code workDir} receives a generated tokenizer.json. */
    public static PipelineTokenizer load(Path folder, Path workDir) {
        DjlNatives.offline();
        Path json = folder.resolve("tokenizer.json");
        Path vocab = folder.resolve("vocab.json");
        Path merges = folder.resolve("merges.txt");
        JsonNode config = readConfig(folder.resolve("tokenizer_config.json"));
        int maxLength = config.path("model_max_length").asInt(77);
        if (maxLength <= 0 || maxLength > 4096) {
            throw new ImportException(null, "tokenizer " + folder + ": model_max_length " + maxLength
                    + " is not a usable prompt length (1..4096); set it in tokenizer_config.json");
        }
        String kind;
        if (Files.isRegularFile(json)) {
            kind = "tokenizer.json";
        } else if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
            json = ClipBpeTokenizerJson.write(vocab, merges, config, workDir.resolve("tokenizer.json"));
            kind = "CLIP BPE vocab.json + merges.txt";
        } else {
            throw new ImportException(null, "tokenizer folder " + folder + " has neither tokenizer.json nor "
                    + "vocab.json + merges.txt; export the pipeline's tokenizer (tokenizer.save_pretrained)");
        }
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder().optTokenizerPath(json).optMaxLength(maxLength)
                    .optTruncation(true).optPadToMaxLength().optAddSpecialTokens(true).build();
            long unk = unknownId(json, config);
            return new PipelineTokenizer(t, maxLength, kind, unk);
        } catch (IOException | RuntimeException e) {
            throw new ImportException(null, "tokenizer " + json + " cannot be loaded by the tokenizers library: "
                    + e.getMessage() + "; re-save it with a current tokenizers/transformers version");
        }
    }

    /** Pads or truncates {@code prompt} to {@link #maxLength()} tokens. */
    public Tokens encode(String prompt) {
        Encoding e = tokenizer.encode(prompt);
        long[] ids = e.getIds();
        int unknown = 0;
        for (long id : ids) {
            if (id == unkId) {
                unknown++;
            }
        }
        return new Tokens(ids, e.exceedMaxLength(), unknown);
    }

    public int maxLength() {
        return maxLength;
    }

    /** Where the tokenizer came from: {@code tokenizer.json} or the CLIP vocabulary files. */
    public String kind() {
        return kind;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static long unknownId(Path json, JsonNode config) throws IOException {
        JsonNode model = new ObjectMapper().readTree(json.toFile()).path("model");
        String unk = model.path("unk_token").asText(config.path("unk_token").asText(""));
        JsonNode id = model.path("vocab").path(unk);
        return id.isNumber() ? id.asLong() : -1;
    }

    static JsonNode readConfig(Path file) {
        try {
            return Files.isRegularFile(file) ? new ObjectMapper().readTree(file.toFile())
                    : new ObjectMapper().createObjectNode();
        } catch (IOException e) {
            throw new ImportException(null, "tokenizer config " + file + " is not JSON: " + e.getMessage());
        }
    }

}
