//go:build gc

#include "textflag.h"

// func getg() unsafe.Pointer
TEXT ·getg(SB),NOSPLIT,$0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET

// func Frame() (fp unsafe.Pointer, pc uintptr)
TEXT ·Frame(SB),NOSPLIT|NOFRAME,$0-16
	MOVQ BP, AX
	MOVQ AX, fp+0(FP)
	MOVQ 0(SP), AX
	MOVQ AX, pc+8(FP)
	RET
