package dev.sfd.core.teachers.imports.text2image;

import dev.sfd.core.distill.PromptEmbeddings;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.TeacherInfo;
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
        TeacherInfo contract = TeacherInfo.of(id, teacher.contract(), new byte[0]);
        TeacherInfo info = new TeacherInfo(id, teacher.folder().sha256(), contract.dataset(), contract.sampleShape(),
                contract.tMin(), contract.tMax(), 0, contract.timeEmbedding(), contract.timeEmbeddingWidth());
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacher.contract(), info.timeEmbedding(),
                info.timeEmbeddingWidth(), seed);
        PromptEmbeddings prompts = new PromptEmbeddings(texts, teacher.prompts().embeddings(texts));
        return new TextToImageDistillation(info, student, prompts);
    }
}
