/* placeholder */
int failmalloc_placeholder;
