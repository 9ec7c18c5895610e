package main

// evSpec is one row of the wire-event table: the event's type byte, its argument names in wire
// order, and how trailing data is laid out. Numbers and argument lists are the format's
// (docs in /work/shared/docs/go-trace-format.md §3.1); they have not changed since Go 1.22,
// new events are only appended.
type evSpec struct {
	typ  byte
	args []string
	// hasData: after the arguments comes a uvarint length and that many raw bytes, given in
	// the text as a following `data="..."` line (String, ExperimentalBatch).
	hasData bool
	// isStack: the last argument is a frame count, and that many frame lines follow, each four
	// uvarints pc, func, file, line (Stack).
	isStack bool
	// minVersion is the first format minor version that knows the event.
	minVersion int
}

var specs = map[string]evSpec{
	"EventBatch":          {typ: 1, args: []string{"gen", "m", "time", "size"}, minVersion: 22},
	"Stacks":              {typ: 2, minVersion: 22},
	"Stack":               {typ: 3, args: []string{"id", "nframes"}, isStack: true, minVersion: 22},
	"Strings":             {typ: 4, minVersion: 22},
	"String":              {typ: 5, args: []string{"id"}, hasData: true, minVersion: 22},
	"CPUSamples":          {typ: 6, minVersion: 22},
	"CPUSample":           {typ: 7, args: []string{"time", "m", "p", "g", "stack"}, minVersion: 22},
	"Frequency":           {typ: 8, args: []string{"freq"}, minVersion: 22},
	"ProcsChange":         {typ: 9, args: []string{"dt", "procs_value", "stack"}, minVersion: 22},
	"ProcStart":           {typ: 10, args: []string{"dt", "p", "p_seq"}, minVersion: 22},
	"ProcStop":            {typ: 11, args: []string{"dt"}, minVersion: 22},
	"ProcSteal":           {typ: 12, args: []string{"dt", "p", "p_seq", "m"}, minVersion: 22},
	"ProcStatus":          {typ: 13, args: []string{"dt", "p", "pstatus"}, minVersion: 22},
	"GoCreate":            {typ: 14, args: []string{"dt", "new_g", "new_stack", "stack"}, minVersion: 22},
	"GoCreateSyscall":     {typ: 15, args: []string{"dt", "new_g"}, minVersion: 22},
	"GoStart":             {typ: 16, args: []string{"dt", "g", "g_seq"}, minVersion: 22},
	"GoDestroy":           {typ: 17, args: []string{"dt"}, minVersion: 22},
	"GoDestroySyscall":    {typ: 18, args: []string{"dt"}, minVersion: 22},
	"GoStop":              {typ: 19, args: []string{"dt", "reason_string", "stack"}, minVersion: 22},
	"GoBlock":             {typ: 20, args: []string{"dt", "reason_string", "stack"}, minVersion: 22},
	"GoUnblock":           {typ: 21, args: []string{"dt", "g", "g_seq", "stack"}, minVersion: 22},
	"GoSyscallBegin":      {typ: 22, args: []string{"dt", "p_seq", "stack"}, minVersion: 22},
	"GoSyscallEnd":        {typ: 23, args: []string{"dt"}, minVersion: 22},
	"GoSyscallEndBlocked": {typ: 24, args: []string{"dt"}, minVersion: 22},
	"GoStatus":            {typ: 25, args: []string{"dt", "g", "m", "gstatus"}, minVersion: 22},
	"STWBegin":            {typ: 26, args: []string{"dt", "kind_string", "stack"}, minVersion: 22},
	"STWEnd":              {typ: 27, args: []string{"dt"}, minVersion: 22},
	"GCActive":            {typ: 28, args: []string{"dt", "gc_seq"}, minVersion: 22},
	"GCBegin":             {typ: 29, args: []string{"dt", "gc_seq", "stack"}, minVersion: 22},
	"GCEnd":               {typ: 30, args: []string{"dt", "gc_seq"}, minVersion: 22},
	"GCSweepActive":       {typ: 31, args: []string{"dt", "p"}, minVersion: 22},
	"GCSweepBegin":        {typ: 32, args: []string{"dt", "stack"}, minVersion: 22},
	"GCSweepEnd":          {typ: 33, args: []string{"dt", "swept_value", "reclaimed_value"}, minVersion: 22},
	"GCMarkAssistActive":  {typ: 34, args: []string{"dt", "g"}, minVersion: 22},
	"GCMarkAssistBegin":   {typ: 35, args: []string{"dt", "stack"}, minVersion: 22},
	"GCMarkAssistEnd":     {typ: 36, args: []string{"dt"}, minVersion: 22},
	"HeapAlloc":           {typ: 37, args: []string{"dt", "heapalloc_value"}, minVersion: 22},
	"HeapGoal":            {typ: 38, args: []string{"dt", "heapgoal_value"}, minVersion: 22},
	"GoLabel":             {typ: 39, args: []string{"dt", "label_string"}, minVersion: 22},
	"UserTaskBegin":       {typ: 40, args: []string{"dt", "task", "parent_task", "name_string", "stack"}, minVersion: 22},
	"UserTaskEnd":         {typ: 41, args: []string{"dt", "task", "stack"}, minVersion: 22},
	"UserRegionBegin":     {typ: 42, args: []string{"dt", "task", "name_string", "stack"}, minVersion: 22},
	"UserRegionEnd":       {typ: 43, args: []string{"dt", "task", "name_string", "stack"}, minVersion: 22},
	"UserLog":             {typ: 44, args: []string{"dt", "task", "key_string", "value_string", "stack"}, minVersion: 22},
	"GoSwitch":            {typ: 45, args: []string{"dt", "g", "g_seq"}, minVersion: 23},
	"GoSwitchDestroy":     {typ: 46, args: []string{"dt", "g", "g_seq"}, minVersion: 23},
	"GoCreateBlocked":     {typ: 47, args: []string{"dt", "new_g", "new_stack", "stack"}, minVersion: 23},
	"GoStatusStack":       {typ: 48, args: []string{"dt", "g", "m", "gstatus", "stack"}, minVersion: 23},
	// The experiment ID is a raw byte on the wire; it is always < 128, so writing it as a
	// uvarint gives the same byte.
	"ExperimentalBatch": {typ: 49, args: []string{"exp", "gen", "m", "time"}, hasData: true, minVersion: 23},
	"Sync":              {typ: 50, minVersion: 25},
	"ClockSnapshot":     {typ: 51, args: []string{"dt", "mono", "sec", "nsec"}, minVersion: 25},
	"EndOfGeneration":   {typ: 52, minVersion: 26},

	// Experimental events of the AllocFree experiment (Go 1.23+, GODEBUG=traceallocfree=1).
	"Span":                {typ: 128, args: []string{"dt", "id", "npages_value", "kindclass"}, minVersion: 23},
	"SpanAlloc":           {typ: 129, args: []string{"dt", "id", "npages_value", "kindclass"}, minVersion: 23},
	"SpanFree":            {typ: 130, args: []string{"dt", "id"}, minVersion: 23},
	"HeapObject":          {typ: 131, args: []string{"dt", "id", "type"}, minVersion: 23},
	"HeapObjectAlloc":     {typ: 132, args: []string{"dt", "id", "type"}, minVersion: 23},
	"HeapObjectFree":      {typ: 133, args: []string{"dt", "id"}, minVersion: 23},
	"GoroutineStack":      {typ: 134, args: []string{"dt", "id", "order"}, minVersion: 23},
	"GoroutineStackAlloc": {typ: 135, args: []string{"dt", "id", "order"}, minVersion: 23},
	"GoroutineStackFree":  {typ: 136, args: []string{"dt", "id"}, minVersion: 23},
}
