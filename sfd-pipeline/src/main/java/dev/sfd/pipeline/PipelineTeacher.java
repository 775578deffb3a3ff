package dev.sfd.pipeline;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.PipelineReference;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import dev.sfd.core.teachers.imports.text2image.TextToImageContract;
import dev.sfd.core.teachers.imports.text2image.TextToImageDistillation;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;

/**
 * A text-to-image teacher as a service setting ({@code sfd.teacher.model}) names it: a diffusers ONNX
 * pipeline folder or its {@code .teacher.json} manifest ({@link PipelineReference}). Holds what both
 * services need: the UNet as the SFD contract teacher, the teacher info (id = folder name, sha256 = the
 * folder's combined sha256) and the frozen tokenizer + text encoder ({@link PromptEncoder}). The UNet
 * session is opened only by whoever runs the teacher ({@link #openUnet}); the trainer needs the graph only.
 */
public final class PipelineTeacher implements AutoCloseable {

    private final PipelineReference reference;
    private final OnnxModel contract;
    private final TeacherInfo info;
    private final PromptEncoder prompts;

    private PipelineTeacher(PipelineReference reference, OnnxModel contract, TeacherInfo info, PromptEncoder prompts) {
        this.reference = reference;
        this.contract = contract;
        this.info = info;
        this.prompts = prompts;
    }

    /** True if {@code spec} names a pipeline folder or a text-to-image manifest. */
    public static boolean applies(String spec) {
        return PipelineReference.applies(spec);
    }

    /** Resolves {@code spec}, builds the contract teacher and opens the text encoder under {@code session}. */
    public static PipelineTeacher open(String spec, SessionConfig session) {
        PipelineReference ref = PipelineReference.resolve(spec);
        TextToImageFolder folder = TextToImageFolder.read(ref.folder());
        OnnxModel contract = TextToImageContract.of(folder, ref.latent()).model();
        TeacherInfo info = TextToImageDistillation.teacherInfo(ref.id(), ref.sha256(), contract);
        return new PipelineTeacher(ref, contract, info, PromptEncoder.open(folder, session));
    }

    /** The UNet (contract form: x, t, cond → eps) as a noise model on {@code session}. */
    public NoiseModel openUnet(SessionConfig session) {
        return OnnxNoiseModel.open(info.id(), contract.toBytes(), session, OnnxNoiseModel.Names.defaults());
    }

    public PipelineReference reference() {
        return reference;
    }

    public OnnxModel contract() {
        return contract;
    }

    public TeacherInfo info() {
        return info;
    }

    public PromptEncoder prompts() {
        return prompts;
    }

    @Override
    public void close() {
        prompts.close();
    }
}
