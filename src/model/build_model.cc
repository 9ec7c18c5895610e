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
  std::optional<Error> failure = trace::for_each_event(reader, [&](const trace::Event& ev) {
    builder.on_event(ev);
    if (tap) tap(ev);
  });
  if (failure) {
    if (error != nullptr) *error = failure;
    if (!partial) return *failure;
  }
  return builder.finish();
}

}  // namespace ctxtrail::model
