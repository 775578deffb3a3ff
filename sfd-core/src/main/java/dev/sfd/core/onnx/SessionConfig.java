package dev.sfd.core.onnx;

/**
 * How to open an ONNX Runtime session.
 *
 * @param provider   CPU or CUDA (CUDA fails fast when the provider cannot load)
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose
 * @param cudaDevice CUDA device id (ignored on CPU)
 */
public record SessionConfig(ExecutionProvider provider, int intraOpThreads, int cudaDevice) {

    public SessionConfig {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
    }

    public static SessionConfig cpu() {
        return new SessionConfig(ExecutionProvider.CPU, 0, 0);
    }

    public static SessionConfig cpu(int threads) {
        return new SessionConfig(ExecutionProvider.CPU, threads, 0);
    }

    public SessionConfig withThreads(int threads) {
        return new SessionConfig(provider, threads, cudaDevice);
    }
}
