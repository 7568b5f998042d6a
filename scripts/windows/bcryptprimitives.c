/* Wine 8 (Debian 12) has no bcryptprimitives.dll, but Rust's standard library imports
 * ProcessPrng from it since Rust 1.78 to seed its random numbers. This stand-in, placed next to
 * the test programs, answers ProcessPrng with advapi32's RtlGenRandom (SystemFunction036),
 * which Wine has. Real Windows 10 and 11 ship the real DLL; this file never leaves the tests. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
