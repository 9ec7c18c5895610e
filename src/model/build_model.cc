/// Drives a Reader through a ModelBuilder.
#include "ctxtrail/model/model.h"
#include "ctxtrail/trace/reader.h"

namespace ctxtrail::model {

Result<Model> build_model(trace::Reader& reader, FrameClassifier& frames, ModelOptions options,
                          bool partial, std::optional<Error>* error) {
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
  }
  return builder.finish();
}

}  // namespace ctxtrail::model
