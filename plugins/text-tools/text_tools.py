"""Text Tools: the reference Python plugin (a normal and a streaming action, out of process)."""

from apexagent_plugin import ActionError, Plugin, action


class TextTools(Plugin):

    def initialize(self, context):
        context.logger.info("text-tools ready on node %s", context.node_id)

    @action("stats")
    def stats(self, params):
        text = params["text"]
        return {
            "characters": len(text),
            "words": len(text.split()),
            "lines": len(text.splitlines()) if text else 0,
            "upper": text.upper(),
        }

    @action("words", streaming=True)
    def words(self, params):
        text = params["text"]
        if not text.strip():
            raise ActionError("text has no words to stream")
        for index, word in enumerate(text.split()):
            yield {"index": index, "word": word}
