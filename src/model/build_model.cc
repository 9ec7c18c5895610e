/// Drives a Reader through a ModelBuilder.
#include "ctxtrail/model/model.h"
#include "ctxtrail/trace/reader.h"

namespace ctxtrail::model {

Result<Model> build_model(trace::Reader& reader, FrameClassifier& frames, ModelOptions options,
                          bool partial, std::optional<Error>* error) {
  return build_model(reader, frames, std::move(options), partial, error, {});
}

Result<Model> build_model(trace::Reader& reader, FrameClassifier& frames, ModelOptions options,
                          bool partial, std::optional<Error>* error,
                          const std::function<void(const trace::Event&)>& tap) {
  ModelBuilder builder(frames, std::move(options));
  trace::Event ev;
  for (;;) {
    Result<bool> more = reader.next(ev);
    if (!more.ok()) {
      if (error != nullptr) *error = more.error();
      if (!partial) return more.error();
      break;
    }
    if (!*more) break;
    builder.on_event(ev);
    if (tap) tap(ev);
  }
  return builder.finish();
}

}  // namespace ctxtrail::model
