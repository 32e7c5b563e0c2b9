// The startup snapshot, built by kiln-make-snapshot into the build tree and included
// here byte for byte; KILN_SNAPSHOT_BLOB is its path (runtime/snapshot/CMakeLists.txt).
// Read-only data: V8 copies what it deserializes.
    .section .rodata
    .balign 64
    .globl kiln_snapshot_blob
    .hidden kiln_snapshot_blob
kiln_snapshot_blob:
    .incbin KILN_SNAPSHOT_BLOB
    .globl kiln_snapshot_blob_end
    .hidden kiln_snapshot_blob_end
kiln_snapshot_blob_end:

    .section .note.GNU-stack, "", @progbits
