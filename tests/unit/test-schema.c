/* placeholder: replaced by the unit tests of lib/schema */
#include "tap.h"
int main(void) { ok(1, "placeholder"); return tap_done(); }
