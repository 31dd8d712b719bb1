// handover-diag's allocator settings, read by jemalloc when the program starts (its documented
// malloc_conf symbol; the MALLOC_CONF variable still overrides it). Linked only with jemalloc.
//
// thp:always: jemalloc asks for transparent huge pages on the memory it maps, so validate's
// blocks of input and its report fill 2 MB pages, one fault each, instead of 4 KB pages one fault
// at a time (5,338 -> 1,667 page faults and 34 % less time on 20,000 payloads; bench/README.md).
// Where the kernel's THP mode is "never" this asks for nothing.
extern "C" {
const char* malloc_conf = "thp:always";
}
