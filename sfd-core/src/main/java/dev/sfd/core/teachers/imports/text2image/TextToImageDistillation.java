package dev.sfd.core.teachers.imports.text2image;

import dev.sfd.core.distill.PromptEmbeddings;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import java.util.List;

/**
 * What SFD needs to distil a text-to-image teacher in process: the teacher's {@link TeacherInfo} (pinned by
 * the pipeline folder's combined sha256), the student (the UNet contract copy plus the step-count
 * condition, {@link StudentFromTeacher}) and the training prompts with their embeddings, each prompt
 * encoded once. Distillation runs at ω = 1 (the conditional branch only, SFD.md "Guidance").
 *
 * @param info    the teacher as distillation sees it (classes 0: conditioned by prompt embeddings)
 * @param student the student graph, inputs x, t, cond (float [B, L, D]) and steps
 * @param prompts the training prompts and their embeddings
 */
public record TextToImageDistillation(TeacherInfo info, StudentFromTeacher.StudentGraph student,
        PromptEmbeddings prompts) {

    /** For {@code teacher} with training prompts {@code texts}; {@code id} names the teacher in the student. */
    public static TextToImageDistillation of(String id, TextToImageTeacher teacher, List<String> texts, long seed) {
        TeacherInfo info = teacherInfo(id, teacher.folder().sha256(), teacher.contract());
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacher.contract(), info.timeEmbedding(),
                info.timeEmbeddingWidth(), seed);
        PromptEmbeddings prompts = new PromptEmbeddings(texts, teacher.prompts().embeddings(texts));
        return new TextToImageDistillation(info, student, prompts);
    }

    /**
     * The {@link TeacherInfo} of a pipeline's contract teacher {@code contract}: id {@code id}, sha256 the
     * folder's combined {@code folderSha256} (it covers every part and the tokenizer), data set
     * {@link TextToImageContract#DATASET}, sample shape the latent, classes 0 (conditioned by text embeddings).
     * The one definition the CLI and the services use.
     */
    public static TeacherInfo teacherInfo(String id, String folderSha256, OnnxModel contract) {
        TeacherInfo c = TeacherInfo.of(id, contract, new byte[0]);
        return new TeacherInfo(id, folderSha256, c.dataset(), c.sampleShape(), c.tMin(), c.tMax(), 0,
                c.timeEmbedding(), c.timeEmbeddingWidth());
    }
}
