/*
 * A stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks: the Go
 * runtime (1.22 and later) gets its random bytes from ProcessPrng there and
 * stops at start-up without it. This one fills the buffer from RtlGenRandom
 * (advapi32's SystemFunction036), which Wine has. For tests under Wine
 * only: see wine_test.go.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	/* RtlGenRandom takes a ULONG length: ask in chunks. */
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
