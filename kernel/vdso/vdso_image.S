// The vDSO shared object, embedded in the kernel image on its own pages so the kernel
// can map them into the process as they are.
    .section .rodata.vdso, "a"
    .balign 4096
    .global vdso_image_start
vdso_image_start:
    .incbin VDSO_PATH
    .global vdso_image_end
vdso_image_end:
    .balign 4096
