// What scripts/install.sh stamps into a release build: the commit it was built from,
// passed as `swift build -Xcc -DGANTRY_COMMIT='"<sha>"'` (Swift has no build-time
// string defines; the C importer does). Empty in builds that do not pass it.
#ifndef GANTRY_COMMIT
#define GANTRY_COMMIT ""
#endif

static inline const char *gantry_build_commit(void) { return GANTRY_COMMIT; }
