/// The pipelined reader: one thread orders events into blocks (the single-threaded reader,
/// unchanged), the caller's thread hands them out. Invariants:
///  - the ordering thread alone touches the inner reader after the thread starts; the caller
///    sees only blocks, and tables of its own (copies of the inner tables' entries, interned in
///    ID order so they get the same IDs);
///  - what the caller sees after being handed E events (generations(), the tables) is what
///    the inner reader showed when it had written E events: its StateMarks say when that grew;
///  - at most kBlocksInFlight blocks wait in the queue, so memory stays a few blocks of events
///    ahead of the caller whatever the trace's size;
///  - a consumer given to consume_beside() is handed each block on the ordering thread before
///    the block is queued, so it has seen every event the caller is handed, and reads the inner
///    tables there (the same IDs; the caller's copies are the caller thread's alone).
#include "trace/pipelined_reader.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "trace/interned_tables.h"
#include "trace/read_ahead.h"

namespace ctxtrail::trace {
namespace {

// 16384 events (1.5 MiB) a block: about 0.3 ms of ordering, so that the hand-overs (a lock, and
// a wake-up when the other side waits: about 15 us of CPU each) cost little next to it. (Spinning
// a while before sleeping cost far more on a machine whose cores are busy with other work.)
constexpr size_t kDefaultBlockEvents = 16384;
std::atomic<size_t> g_block_events{kDefaultBlockEvents};

/// What the inner reader showed at the end of a block.
struct Snapshot {
  uint64_t generations = 0;
  bool complete = false;
  std::optional<Error> truncation;
  ReaderStats stats;
  size_t strings = 0;
  size_t stacks = 0;
};

struct Block {
  std::vector<Event> events;
  std::vector<StateMark> marks;           // where the state grew while these events were written
  std::vector<std::string> strings;       // entries from the previous block's end on, in ID order
  std::vector<Frame> frames;              // the new stacks' frames, one stack after another
  std::vector<uint32_t> stack_sizes;      // frames per new stack
  std::pair<uint64_t, uint64_t> progress;
  bool last = false;                      // nothing follows: the end, or `error`
  std::optional<Error> error;
  std::exception_ptr thrown;              // what the inner reader threw, rethrown to the caller
  Snapshot end;                           // the inner reader after this block
};

class PipelinedReader final : public Reader {
 public:
  PipelinedReader(MarkedReader inner, std::function<void(uint64_t, uint64_t)> progress)
      : inner_(std::move(inner)), progress_(std::move(progress)) {
    name_ = inner_.reader->name();
    version_ = inner_.reader->format_version();
    // The tables as the inner reader made them before any event (its own names).
    sent_strings_ = inner_.reader->strings().size();
    sent_stacks_ = inner_.reader->stacks().size();
    for (size_t id = strings_.size(); id < sent_strings_; id++) strings_.intern(inner_.reader->strings().get(id));
    for (size_t id = stacks_.size(); id < sent_stacks_; id++) stacks_.intern(inner_.reader->stacks().frames(id));
    shown_.strings = strings_.size();
    shown_.stacks = stacks_.size();
  }

  ~PipelinedReader() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
  }

  Result<bool> next(Event& out) override {
    return ahead_.next(out, [this](Event* to, size_t cap) { return fill(to, cap); });
  }

  Result<size_t> next_batch(std::span<Event> events) override {
    return ahead_.next_batch(events, [this](Event* to, size_t cap) { return fill(to, cap); });
  }

  Result<std::span<const Event>> view_batch(std::span<Event> scratch) override {
    // Runs inside the current block are handed out where they lie: the caller's thread reads
    // each event once, from the block the ordering thread wrote, instead of copying it first.
    if (ahead_.empty() && !scratch.empty()) {
      if (cur_ && pos_ == cur_->events.size() && !cur_->last) take_block();
      if (cur_ && cur_->events.size() - pos_ >= scratch.size()) {
        std::span<const Event> run(cur_->events.data() + pos_, scratch.size());
        pos_ += scratch.size();
        handed_ += scratch.size();
        apply_marks();
        return run;
      }
    }
    Result<size_t> got = next_batch(scratch);
    if (!got.ok()) return got.error();
    return std::span<const Event>(scratch.data(), *got);
  }

  const StringTable& strings() const override { return strings_; }
  const StackTable& stacks() const override { return stacks_; }
  int format_version() const override { return version_; }
  uint64_t generations() const override { return shown_.generations; }
  bool complete() const override { return shown_.complete; }
  const std::string& name() const override { return name_; }
  std::optional<Error> truncation() const override { return shown_.truncation; }
  ReaderStats stats() const override { return shown_.stats; }
  const StringTable* consume_beside(std::function<void(std::span<const Event>)> f) override {
    beside_ = std::move(f);
    return &inner_.reader->strings();
  }

 private:
  static constexpr size_t kBlocksInFlight = 4;

  /// The single-threaded reader's fill(): up to cap events, fewer only at the end or an error
  /// (answered by the next call).
  Result<size_t> fill(Event* out, size_t cap);
  /// Makes the next block current (the ordering thread starts at the first).
  void take_block();
  /// Shows what the marks say the caller may see after `handed_` events.
  void apply_marks();
  void publish_tables(size_t strings, size_t stacks);
  void apply_end();

  /// The ordering thread.
  void produce();
  void fill_block(Block& b);
  void ship_tables(Block& b);

  MarkedReader inner_;
  std::function<void(uint64_t, uint64_t)> progress_;
  std::string name_;
  int version_ = 0;
  const size_t block_events_ = g_block_events.load(std::memory_order_relaxed);

  // The caller's thread.
  InternedStrings strings_;
  InternedStacks stacks_;
  Snapshot shown_;
  std::unique_ptr<Block> cur_;
  size_t pos_ = 0;
  uint64_t handed_ = 0;
  std::deque<StateMark> marks_;
  std::deque<std::string> pending_strings_;  // received, not yet shown
  std::deque<std::vector<Frame>> pending_stacks_;
  ReadAhead ahead_;

  // The ordering thread.
  std::function<void(std::span<const Event>)> beside_;  // set before the thread starts
  size_t sent_strings_ = 0;
  size_t sent_stacks_ = 0;
  static constexpr size_t kFirstBlock = 512;  // events in the first block
  size_t blocks_made_ = 0;

  // Shared, under mu_.
  std::mutex mu_;

  std::condition_variable cv_;
  std::deque<std::unique_ptr<Block>> full_;
  std::vector<std::unique_ptr<Block>> free_;
  bool stop_ = false;
  std::thread worker_;
};

void PipelinedReader::produce() {
  for (;;) {
    std::unique_ptr<Block> b;
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      if (!free_.empty()) {
        b = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!b) b = std::make_unique<Block>();
    fill_block(*b);
    const bool last = b->last;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || full_.size() < kBlocksInFlight; });
      if (stop_) return;
      full_.push_back(std::move(b));
    }
    cv_.notify_all();
    if (last) return;
  }
}

void PipelinedReader::fill_block(Block& b) {
  Reader& r = *inner_.reader;
  b.marks.clear();
  b.last = false;
  b.error.reset();
  b.thrown = nullptr;
  size_t n = 0;
  try {
    // Blocks start small and double: a small trace never pays for a big block's pages.
    const size_t want = std::min(block_events_, kFirstBlock << std::min<size_t>(blocks_made_++, 16));
    b.events.resize(want);
    while (n < want) {
      Result<size_t> got = r.next_batch(std::span<Event>(b.events.data() + n, want - n));
      if (!got.ok()) {
        b.error = got.error();
        b.last = true;
        break;
      }
      if (*got == 0) {
        b.last = true;
        break;
      }
      n += *got;
    }
    b.events.resize(n);
    if (beside_ && n > 0) beside_(std::span<const Event>(b.events.data(), n));
    b.marks.assign(inner_.marks->begin(), inner_.marks->end());
    inner_.marks->clear();
    ship_tables(b);
  } catch (...) {
    // Out of memory, most likely: the caller gets it where this block ends, as with one thread.
    b.thrown = std::current_exception();
    b.last = true;
    b.events.clear();
  }
  b.progress = *inner_.progress;
  b.end = Snapshot{r.generations(), r.complete(), r.truncation(), r.stats(), sent_strings_, sent_stacks_};
}

void PipelinedReader::ship_tables(Block& b) {
  const StringTable& strings = inner_.reader->strings();
  const StackTable& stacks = inner_.reader->stacks();
  b.strings.clear();
  b.frames.clear();
  b.stack_sizes.clear();
  for (; sent_strings_ < strings.size(); sent_strings_++) b.strings.emplace_back(strings.get(sent_strings_));
  for (; sent_stacks_ < stacks.size(); sent_stacks_++) {
    std::span<const Frame> f = stacks.frames(sent_stacks_);
    b.frames.insert(b.frames.end(), f.begin(), f.end());
    b.stack_sizes.push_back(static_cast<uint32_t>(f.size()));
  }
}

void PipelinedReader::take_block() {
  if (!worker_.joinable()) worker_ = std::thread([this] { produce(); });
  std::unique_ptr<Block> next;
  {
    std::unique_lock lock(mu_);
    if (cur_) free_.push_back(std::move(cur_));
    cv_.wait(lock, [&] { return !full_.empty(); });
    next = std::move(full_.front());
    full_.pop_front();

  }
  cv_.notify_all();
  cur_ = std::move(next);
  pos_ = 0;
  Block& b = *cur_;
  marks_.insert(marks_.end(), b.marks.begin(), b.marks.end());
  for (std::string& s : b.strings) pending_strings_.push_back(std::move(s));
  size_t at = 0;
  for (uint32_t n : b.stack_sizes) {
    pending_stacks_.emplace_back(b.frames.begin() + static_cast<ptrdiff_t>(at),
                                 b.frames.begin() + static_cast<ptrdiff_t>(at + n));
    at += n;
  }
  // Counters may run ahead of what was handed out, as the single-threaded reader's do.
  shown_.stats = b.end.stats;
  if (progress_) progress_(b.progress.first, b.progress.second);
}

void PipelinedReader::publish_tables(size_t strings, size_t stacks) {
  while (strings_.size() < strings && !pending_strings_.empty()) {
    strings_.intern(pending_strings_.front());
    pending_strings_.pop_front();
  }
  while (stacks_.size() < stacks && !pending_stacks_.empty()) {
    stacks_.intern(pending_stacks_.front());
    pending_stacks_.pop_front();
  }
}

void PipelinedReader::apply_marks() {
  while (!marks_.empty() && marks_.front().after <= handed_) {
    const StateMark& m = marks_.front();
    shown_.generations = m.generations;
    shown_.complete = m.complete;
    publish_tables(m.strings, m.stacks);
    marks_.pop_front();
  }
}

void PipelinedReader::apply_end() {
  // Where the single-threaded reader would have stopped: everything it did is visible.
  const Snapshot& end = cur_->end;
  marks_.clear();
  shown_ = end;
  publish_tables(end.strings, end.stacks);
}

Result<size_t> PipelinedReader::fill(Event* out, size_t cap) {
  size_t n = 0;
  while (n < cap) {
    if (!cur_ || pos_ == cur_->events.size()) {
      if (cur_ && cur_->last) {
        apply_end();
        if (n > 0) break;
        if (cur_->thrown) std::rethrow_exception(cur_->thrown);
        if (cur_->error) return *cur_->error;
        return size_t{0};
      }
      take_block();
      continue;
    }
    const size_t k = std::min(cap - n, cur_->events.size() - pos_);
    std::copy_n(cur_->events.data() + pos_, k, out + n);
    pos_ += k;
    n += k;
    handed_ += k;
  }
  apply_marks();
  return n;
}

}  // namespace

void set_pipeline_block_events(size_t events) {
  g_block_events.store(events == 0 ? kDefaultBlockEvents : events, std::memory_order_relaxed);
}

std::unique_ptr<Reader> make_pipelined_reader(MarkedReader inner, std::function<void(uint64_t, uint64_t)> progress) {
  return std::make_unique<PipelinedReader>(std::move(inner), std::move(progress));
}

}  // namespace ctxtrail::trace
