// The allocator settings of the two programs, handover-diag and cxone-mock, read by jemalloc when
// the program starts (its documented malloc_conf symbol; the MALLOC_CONF variable still overrides
// it). Compiled into each program that links jemalloc, never into a library.
//
// thp:always: jemalloc asks for transparent huge pages on the memory it maps, so fresh memory
// comes 2 MB a fault instead of 4 KB (a 4 KB page fault costs ~10 us on the VMs we measure on):
// - validate's blocks of input and its report: 5,338 -> 1,667 page faults and 34 % less time on
//   20,000 payloads;
// - cxone-mock loading 50,000 interactions: 1.06-1.25 s with glibc's malloc, 0.48-0.56 s
//   (bench/load-bench.sh), for ~6 MB more resident at rest (bench/README.md).
// Where the kernel's THP mode is "never" this asks for nothing.
extern "C" {
const char* malloc_conf = "thp:always";
}
