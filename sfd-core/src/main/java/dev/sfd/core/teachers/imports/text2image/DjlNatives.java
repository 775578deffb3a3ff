package dev.sfd.core.teachers.imports.text2image;

/**
 * DJL's tokenizers jar carries {@code native/lib/linux-x86_64/cpu/libtokenizers.so}; its
 * {@code LibUtils} copies it into the DJL cache directory ({@code DJL_CACHE_DIR}, default
 * {@code ~/.djl.ai/tokenizers/}) and loads it from there. With {@code ai.djl.offline=true} it never
 * tries to download a native library, so a missing platform fails at once instead of reaching out.
 */
final class DjlNatives {

    private DjlNatives() {
    }

    static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
