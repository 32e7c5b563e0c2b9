// Boot test: /dev/vda as a file. "write" fills patterns at aligned and unaligned offsets
// (partial sectors, across the 64 KiB transfer size) and flushes; "verify" (a second
// boot on the same disk) reads them back; "readonly" checks that a read-only disk
// refuses writes.
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    off_t offset;
    size_t length;
} PATTERNS[] = { { 0, 512 }, { 4096, 4096 }, { 1000, 100 }, { 70000, 140000 }, { 511, 2 }, { 1048575, 1 } };

static unsigned char byte_at(size_t pattern, size_t i) { return (unsigned char)(pattern * 37 + i * 13 + (i >> 8)); }

int main(int argc, char** argv)
{
    const char* mode = argc > 1 ? argv[1] : "write";
    if (strcmp(mode, "readonly") == 0) {
        int rw = open("/dev/vda", O_RDWR);
        int rw_errno = errno;
        int ro = open("/dev/vda", O_RDONLY);
        char c = 'x';
        ssize_t n = ro >= 0 ? write(ro, &c, 1) : 0;
        printf("disk: read-only open O_RDWR: %s, write on O_RDONLY: %s\n", rw < 0 && rw_errno == EROFS ? "EROFS" : "allowed",
            n < 0 ? "refused" : "allowed");
        return 0;
    }
    int fd = open("/dev/vda", strcmp(mode, "write") == 0 ? O_RDWR : O_RDONLY);
    if (fd < 0) {
        printf("disk: cannot open /dev/vda: %s\n", strerror(errno));
        return 1;
    }
    uint64_t size = 0;
    int sector = 0;
    struct stat st;
    ioctl(fd, BLKGETSIZE64, &size);
    ioctl(fd, BLKSSZGET, &sector);
    fstat(fd, &st);
    printf("disk: %llu bytes, sector %d, block device %s\n", (unsigned long long)size, sector,
        S_ISBLK(st.st_mode) ? "yes" : "no");

    static unsigned char buffer[200000];
    int bad = 0;
    for (size_t p = 0; p < sizeof(PATTERNS) / sizeof(PATTERNS[0]); ++p) {
        if (strcmp(mode, "write") == 0) {
            for (size_t i = 0; i < PATTERNS[p].length; ++i)
                buffer[i] = byte_at(p, i);
            if (pwrite(fd, buffer, PATTERNS[p].length, PATTERNS[p].offset) != (ssize_t)PATTERNS[p].length)
                bad++;
        }
    }
    if (strcmp(mode, "write") == 0)
        printf("disk: fsync %s\n", fsync(fd) == 0 ? "ok" : strerror(errno));
    // Later patterns overwrite earlier ones where they overlap: check each byte against
    // the last pattern that covered it.
    for (size_t p = 0; p < sizeof(PATTERNS) / sizeof(PATTERNS[0]); ++p) {
        if (pread(fd, buffer, PATTERNS[p].length, PATTERNS[p].offset) != (ssize_t)PATTERNS[p].length) {
            bad++;
            continue;
        }
        for (size_t i = 0; i < PATTERNS[p].length; ++i) {
            off_t at = PATTERNS[p].offset + (off_t)i;
            size_t last = p;
            for (size_t q = p + 1; q < sizeof(PATTERNS) / sizeof(PATTERNS[0]); ++q) {
                if (at >= PATTERNS[q].offset && at < PATTERNS[q].offset + (off_t)PATTERNS[q].length)
                    last = q;
            }
            if (buffer[i] != byte_at(last, (size_t)(at - PATTERNS[last].offset))) {
                bad++;
                break;
            }
        }
    }
    printf("disk: %s patterns %s\n", mode, bad == 0 ? "match" : "DIFFER");
    char past_end;
    printf("disk: read past the end returns %zd\n", pread(fd, &past_end, 1, (off_t)size));
    return bad == 0 ? 0 : 1;
}
