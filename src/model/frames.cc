/// Stack classification: user frames, cancel stacks, inferred wait reasons.
#include "ctxtrail/model/frames.h"

#include <algorithm>
#include <array>

namespace ctxtrail::model {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A package's own test files are the program under test, wherever they live: in a trace of
// `go test context` or `go test database/sql`, context_test.go and sql_test.go are the user's
// code although they sit under GOROOT (and their functions may be in package context itself).
bool is_test_file(std::string_view file) {
  constexpr std::string_view kSuffix = "_test.go";
  return file.size() >= kSuffix.size() && file.substr(file.size() - kSuffix.size()) == kSuffix;
}

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

// Top-level package paths of the standard library, for when GOROOT is not known yet.
bool stdlib_root(std::string_view first) {
  static constexpr std::array<std::string_view, 46> kRoots = {
      "archive", "bufio", "bytes", "cmp", "compress", "container", "context", "crypto",
      "database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go",
      "hash", "html", "image", "internal", "io", "iter", "log", "maps", "math", "mime", "net",
      "os", "path", "reflect", "regexp", "runtime", "slices", "sort", "strconv", "strings",
      "sync", "syscall", "testing", "text", "time", "unicode", "unique", "weak", "structs"};
  for (std::string_view r : kRoots)
    if (r == first) return true;
  return false;
}

}  // namespace

std::string_view package_of(std::string_view func) {
  size_t slash = func.rfind('/');
  size_t from = slash == std::string_view::npos ? 0 : slash + 1;
  size_t dot = func.find('.', from);
  return dot == std::string_view::npos ? func : func.substr(0, dot);
}

bool is_plumbing_package(std::string_view pkg) {
  return pkg == "runtime" || starts_with(pkg, "runtime/") || pkg == "context" || pkg == "sync" ||
         pkg == "sync/atomic" || pkg == "time" || pkg == "internal" ||
         starts_with(pkg, "internal/") || pkg == "testing" ||
         pkg == kTrailPackage;
}

bool is_runtime_service(std::string_view start_function) {
  std::string_view pkg = package_of(start_function);
  return pkg == "runtime" || starts_with(pkg, "runtime/") || pkg == "os/signal";
}

bool is_stdlib_package(std::string_view pkg) { return stdlib_root(pkg.substr(0, pkg.find('/'))); }

bool is_parking_reason(std::string_view r) {
  return starts_with(r, "chan ") || starts_with(r, "select") || r == "sync" ||
         starts_with(r, "sync.") || starts_with(r, "forever") || starts_with(r, "semacquire") ||
         starts_with(r, "sync ");
}


void FrameClassifier::learn_goroot(const trace::Frame& f) {
  if (!goroot_src_.empty()) return;
  std::string_view pkg = package_of(strings_.get(f.func));
  if (!(pkg == "runtime" || pkg == "context" || pkg == "testing" || pkg == "sync" || pkg == "time"))
    return;
  std::string_view file = strings_.get(f.file);
  std::string dir = "/src/" + std::string(pkg) + "/";
  size_t at = file.rfind(dir);
  if (at != std::string_view::npos) goroot_src_ = std::string(file.substr(0, at + 5));
}

bool FrameClassifier::is_stdlib(const trace::Frame& f) {
  learn_goroot(f);
  std::string_view file = strings_.get(f.file);
  if (is_test_file(file)) return false;
  if (!goroot_src_.empty() && !file.empty()) return starts_with(file, goroot_src_);
  return is_stdlib_package(package_of(strings_.get(f.func)));
}

bool FrameClassifier::is_stdlib_file(std::string_view file) const {
  return !is_test_file(file) && !goroot_src_.empty() && starts_with(file, goroot_src_);
}

const FrameClassifier::StackInfo& FrameClassifier::info(StackID id) {
  // A stack with an entry was in the table when it was made, and tables only grow: a hit
  // needs no call to ask the table's size.
  if (id < info_at_.size() && info_at_[id] != 0) [[likely]] return infos_[info_at_[id] - 1];
  const bool in_table = id <= stacks_.size();
  if (!in_table)
    if (auto it = cache_.find(id); it != cache_.end()) return it->second;
  StackInfo si;
  auto frames = stacks_.frames(id);
  for (const auto& f : frames) learn_goroot(f);
  bool leaf_seen = false;
  bool cancel_method = false;
  int32_t first_outside_context = -1;
  for (size_t i = 0; i < frames.size(); ++i) {
    std::string_view func = strings_.get(frames[i].func);
    std::string_view pkg = package_of(func);
    bool plumbing = is_plumbing_package(pkg) && !is_test_file(strings_.get(frames[i].file));
    // Every cancellation runs a canceler's cancel method ((*cancelCtx).cancel, (*timerCtx).cancel,
    // (*afterFuncCtx).cancel). Without one, a context leaf that readies a goroutine is something
    // else: a GC assist in a constructor's allocation readying the assists it waited for.
    if (pkg == "context" && func.find(").cancel") != std::string_view::npos) cancel_method = true;
    if (si.top_user < 0 && !plumbing) si.top_user = static_cast<int32_t>(i);
    if (!is_stdlib(frames[i])) si.stdlib_only = false;
    if (!plumbing && !is_stdlib(frames[i])) {
      si.has_user = true;
      if (si.top_app < 0) si.top_app = static_cast<int32_t>(i);
    }
    bool runtime = pkg == "runtime" || starts_with(pkg, "internal/");
    if (!leaf_seen && !runtime) {
      leaf_seen = true;
      si.context_leaf = pkg == "context";
    }
    // sync: AfterFunc callbacks are started under a sync.Once inside the cancel call.
    if (si.context_leaf && first_outside_context < 0 && leaf_seen && pkg != "context" && !runtime &&
        pkg != "sync")
      first_outside_context = static_cast<int32_t>(i);
  }
  si.cancel = si.context_leaf && cancel_method;
  si.gc_leaf = runtime_gc_leaf(id);
  if (si.context_leaf) {
    // The cancel call site and everything above it identify one cancel call; the
    // recursion through child contexts below it does not.
    uint64_t h = 1469598103934665603ULL;
    size_t from = first_outside_context < 0 ? frames.size() - 1 : size_t(first_outside_context);
    for (size_t i = from; i < frames.size(); ++i) h = mix(h, frames[i].pc);
    si.cancel_root = h;
  }
  if (!in_table) return cache_.emplace(id, si).first->second;
  if (id >= info_at_.size()) info_at_.resize(std::max<size_t>(id + 1, info_at_.size() * 2), 0);
  infos_.push_back(si);
  info_at_[id] = static_cast<uint32_t>(infos_.size());
  return infos_.back();
}

StringID FrameClassifier::top_user_function(StackID id) {
  const StackInfo& si = info(id);
  if (si.top_user < 0) return 0;
  return stacks_.frames(id)[si.top_user].func;
}

SourceLoc FrameClassifier::location(const trace::Frame& f) const {
  return SourceLoc{std::string(strings_.get(f.func)), std::string(strings_.get(f.file)), f.line};
}

SourceLoc FrameClassifier::top_user_location(StackID id) {
  const StackInfo& si = info(id);
  if (si.top_user < 0) return {};
  return location(stacks_.frames(id)[si.top_user]);
}

SourceLoc FrameClassifier::app_location(StackID id) {
  const StackInfo& si = info(id);
  if (si.top_app < 0) return top_user_location(id);
  return location(stacks_.frames(id)[si.top_app]);
}

SourceLoc FrameClassifier::leaf_location(StackID id) {
  auto frames = stacks_.frames(id);
  if (frames.empty()) return {};
  return location(frames.front());
}

SourceLoc FrameClassifier::outermost_location(StackID id) {
  auto frames = stacks_.frames(id);
  if (frames.empty()) return {};
  return location(frames.back());
}

bool FrameClassifier::contains_function(StackID id, StringID func) const {
  if (func == 0) return false;
  for (const auto& f : stacks_.frames(id))
    if (f.func == func) return true;
  return false;
}

SourceLoc FrameClassifier::test_frame(StackID id) const {
  auto frames = stacks_.frames(id);
  for (size_t i = 1; i < frames.size(); ++i)
    if (strings_.get(frames[i].func) == "testing.tRunner") return location(frames[i - 1]);
  return {};
}

namespace {

// Library helpers whose `go` statement launches the caller's function: the creation a Go
// engineer wants is the line that called them. Any function of golang.org/x/sync holding a `go`
// statement is such a helper (errgroup Go/TryGo, singleflight DoChan); sync.(*WaitGroup).Go is
// plumbing already.
bool is_launch_wrapper(std::string_view fn) {
  static constexpr std::string_view kWrappers[] = {
      "golang.org/x/sync/errgroup.(*Group).Go",
      "golang.org/x/sync/errgroup.(*Group).TryGo",
      "sync.(*WaitGroup).Go",
  };
  for (std::string_view w : kWrappers)
    if (fn == w) return true;
  return fn.substr(0, 18) == "golang.org/x/sync/";
}

}  // namespace

int32_t FrameClassifier::creation_frame(StackID id) {
  const StackInfo& si = info(id);
  if (si.top_user < 0) return -1;
  auto fr = stacks_.frames(id);
  size_t i = static_cast<size_t>(si.top_user);
  if (!is_launch_wrapper(strings_.get(fr[i].func))) return si.top_user;
  for (size_t j = i + 1; j < fr.size(); ++j) {
    std::string_view fn = strings_.get(fr[j].func);
    if (is_launch_wrapper(fn) || is_plumbing_package(package_of(fn))) continue;
    return static_cast<int32_t>(j);
  }
  return si.top_user;
}

bool FrameClassifier::runtime_gc_leaf(StackID id) const {
  auto frames = stacks_.frames(id);
  return !frames.empty() && starts_with(strings_.get(frames.front().func), "runtime.gc");
}

bool FrameClassifier::has_function_prefix(StackID id, std::string_view prefix) const {
  for (const auto& f : stacks_.frames(id))
    if (starts_with(strings_.get(f.func), prefix)) return true;
  return false;
}

std::string_view FrameClassifier::infer_reason(StackID id) const {
  struct Rule {
    std::string_view prefix;
    std::string_view reason;
  };
  static constexpr std::array kRules = {
      Rule{"runtime.selectgo", "select"},
      Rule{"runtime.block", "forever"},
      Rule{"runtime.chanrecv", "chan receive"},
      Rule{"runtime.chansend", "chan send"},
      Rule{"sync.runtime_notifyListWait", "sync.(*Cond).Wait"},
      Rule{"sync.(*Cond).Wait", "sync.(*Cond).Wait"},
      Rule{"sync.runtime_Semacquire", "sync"},
      Rule{"internal/sync.runtime_Semacquire", "sync"},
      Rule{"sync.(*WaitGroup).Wait", "sync"},
      Rule{"sync.(*Mutex).Lock", "sync"},
      Rule{"sync.(*RWMutex)", "sync"},
      Rule{"time.Sleep", "sleep"},
      Rule{"runtime.netpollblock", "network"},
      Rule{"internal/poll.", "network"},
  };
  for (const auto& f : stacks_.frames(id)) {
    std::string_view fn = strings_.get(f.func);
    for (const Rule& r : kRules)
      if (starts_with(fn, r.prefix)) return r.reason;
  }
  return {};
}

}  // namespace ctxtrail::model
