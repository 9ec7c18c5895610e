//go:build gc

#include "textflag.h"

// func getg() unsafe.Pointer
TEXT ·getg(SB),NOSPLIT,$0-8
	MOVD g, R0
	MOVD R0, ret+0(FP)
	RET

// func Frame() (fp unsafe.Pointer, pc uintptr)
TEXT ·Frame(SB),NOSPLIT|NOFRAME,$0-16
	MOVD R29, R0
	MOVD R0, fp+0(FP)
	MOVD R30, R0
	MOVD R0, pc+8(FP)
	RET
