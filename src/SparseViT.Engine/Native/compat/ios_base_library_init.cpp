// GCC 13's <iostream> replaced the per-TU static ios_base::Init object with a call to
// std::ios_base_library_init() (GLIBCXX_3.4.32). libLibTorchSharp.so was built with GCC 13, so on
// libstdc++ 12 hosts (Debian 12, Ubuntu 22.04) that one symbol is missing. Providing it here, with
// the same effect (the standard streams are initialised before first use), is all the library needs.
#include <ios>

namespace std {
__attribute__((visibility("default"))) void ios_base_library_init() {
    static ios_base::Init init;
}
}
