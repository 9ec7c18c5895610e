/// The terminal progress bar and the input errors.
#include "cli/trace_input.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "ctxtrail/trace/reader.h"

namespace ctxtrail::cli {
namespace {

bool g_progress_drawn = false;

void draw_progress(uint64_t done, uint64_t total) {
  static auto last = std::chrono::steady_clock::time_point();
  auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::milliseconds(100) && (total == 0 || done < total)) return;
  last = now;
  std::string line;
  if (total > 0) {
    const int pct = static_cast<int>(done * 100 / total);
    const int width = 30;
    const int filled = pct * width / 100;
    line = fmt::format("\rreading [{}{}] {:3}% {:.1f} MB", std::string(filled, '#'),
                       std::string(width - filled, ' '), pct, done / 1e6);
  } else {
    line = fmt::format("\rreading {:.1f} MB", done / 1e6);
  }
  std::fputs(line.c_str(), stderr);
  g_progress_drawn = true;
}

}  // namespace

void end_progress() {
  if (g_progress_drawn) {
    std::fputs("\r\033[K", stderr);
    g_progress_drawn = false;
  }
}

std::function<void(uint64_t, uint64_t)> progress_bar(Io& io) {
  // Only a terminal gets a progress bar, and only when the CLI writes to the real stderr.
  if (&io.err == &std::cerr && isatty(STDERR_FILENO)) return draw_progress;
  return {};
}

void add_jobs_flag(CLI::App& command) {
  command
      .add_option_function<unsigned>(
          "--jobs", [](const unsigned& jobs) { trace::set_default_jobs(jobs); },
          "Threads reading the trace (default: the machine's cores; 1: one thread, as before)")
      ->check(CLI::Range(1u, 256u));
}

void report_partial_tail(const Error& error, Io& io, const char* command) {
  end_progress();
  io.err << "ctxtrail " << command << ": " << error.to_string() << " (--partial: the output covers what was read)\n";
  io.exit_code = kExitBadInput;
}

void report_input_error(const Error& error, Io& io, const char* command) {
  end_progress();
  io.err << "ctxtrail " << command << ": " << error.to_string() << "\n";
  io.exit_code = kExitBadInput;
}

}  // namespace ctxtrail::cli
