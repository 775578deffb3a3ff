package dev.sfd.core.teachers.imports.text2image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sfd.core.teachers.imports.ImportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Describes a CLIP tokenizer given as {@code vocab.json} + {@code merges.txt} as a tokenizers-library
 * {@code tokenizer.json}: NFC + whitespace collapsing + lower case, CLIP's split pattern, byte-level
 * alphabet without its own split, a BPE model with the {@code </w>} word-end suffix, and
 * {@code bos … eos} around each prompt. The tokenization itself is the library's.
 */
final class ClipBpeTokenizerJson {

    /** CLIP's pre-tokenization pattern (contractions, letter runs, single digits, other runs). */
    static final String CLIP_SPLIT = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

    private ClipBpeTokenizerJson() {
    }

    static Path write(Path vocabFile, Path mergesFile, JsonNode config, Path out) {
        ObjectMapper m = new ObjectMapper();
        try {
            JsonNode vocab = m.readTree(vocabFile.toFile());
            List<String> lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
            ArrayNode merges = m.createArrayNode();
            for (String line : lines) {
                if (line.startsWith("#version") || line.isBlank()) {
                    continue;
                }
                merges.add(line.strip());
            }
            String bos = token(config, "bos_token", "<|startoftext|>");
            String eos = token(config, "eos_token", "<|endoftext|>");
            String pad = token(config, "pad_token", eos);
            String unk = token(config, "unk_token", eos);
            for (String t : List.of(bos, eos, pad, unk)) {
                if (!vocab.has(t)) {
                    throw new ImportException(null, "CLIP tokenizer " + vocabFile + " has no id for the special token '"
                            + t + "' named in tokenizer_config.json; add it to vocab.json or fix the config");
                }
            }
            ObjectNode root = m.createObjectNode();
            root.put("version", "1.0");
            root.putNull("truncation");
            ObjectNode padding = root.putObject("padding");
            padding.putObject("strategy").put("Fixed", config.path("model_max_length").asInt(77));
            padding.put("direction", "Right");
            padding.putNull("pad_to_multiple_of");
            padding.put("pad_id", vocab.get(pad).asInt());
            padding.put("pad_type_id", 0);
            padding.put("pad_token", pad);
            ArrayNode added = root.putArray("added_tokens");
            for (String t : new java.util.LinkedHashSet<>(List.of(bos, eos, pad, unk))) {
                ObjectNode a = added.addObject();
                a.put("id", vocab.get(t).asInt());
                a.put("content", t);
                a.put("single_word", false);
                a.put("lstrip", false);
                a.put("rstrip", false);
                a.put("normalized", true);
                a.put("special", true);
            }
            ObjectNode norm = root.putObject("normalizer");
            norm.put("type", "Sequence");
            ArrayNode ns = norm.putArray("normalizers");
            ns.addObject().put("type", "NFC");
            ObjectNode replace = ns.addObject();
            replace.put("type", "Replace");
            replace.putObject("pattern").put("Regex", "\\s+");
            replace.put("content", " ");
            ns.addObject().put("type", "Lowercase");
            ObjectNode pre = root.putObject("pre_tokenizer");
            pre.put("type", "Sequence");
            ArrayNode ps = pre.putArray("pretokenizers");
            ObjectNode split = ps.addObject();
            split.put("type", "Split");
            split.putObject("pattern").put("Regex", CLIP_SPLIT);
            split.put("behavior", "Removed");
            split.put("invert", true);
            ObjectNode bytes = ps.addObject();
            bytes.put("type", "ByteLevel");
            bytes.put("add_prefix_space", false);
            bytes.put("trim_offsets", true);
            bytes.put("use_regex", false);
            ObjectNode post = root.putObject("post_processor");
            post.put("type", "TemplateProcessing");
            ArrayNode single = post.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            single.addObject().putObject("SpecialToken").put("id", eos).put("type_id", 0);
            ArrayNode pair = post.putArray("pair");
            pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
            pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
            pair.addObject().putObject("SpecialToken").put("id", eos).put("type_id", 0);
            ObjectNode specials = post.putObject("special_tokens");
            for (String t : new java.util.LinkedHashSet<>(List.of(bos, eos))) {
                ObjectNode s = specials.putObject(t);
                s.put("id", t);
                s.putArray("ids").add(vocab.get(t).asInt());
                s.putArray("tokens").add(t);
            }
            ObjectNode dec = root.putObject("decoder");
            dec.put("type", "ByteLevel");
            dec.put("add_prefix_space", true);
            dec.put("trim_offsets", true);
            dec.put("use_regex", true);
            ObjectNode model = root.putObject("model");
            model.put("type", "BPE");
            model.putNull("dropout");
            model.put("unk_token", unk);
            model.put("continuing_subword_prefix", "");
            model.put("end_of_word_suffix", "</w>");
            model.put("fuse_unk", false);
            model.put("byte_fallback", false);
            model.set("vocab", vocab);
            model.set("merges", merges);
            Files.createDirectories(out.getParent());
            m.writeValue(out.toFile(), root);
            return out;
        } catch (IOException e) {
            throw new ImportException(null, "CLIP tokenizer files " + vocabFile + " / " + mergesFile
                    + " cannot be read: " + e.getMessage());
        }
    }

    private static String token(JsonNode config, String key, String fallback) {
        JsonNode n = config.path(key);
        if (n.isTextual()) {
            return n.asText();
        }
        return n.path("content").asText(fallback);
    }
}
