// Feeds conform's reports to Cucumber's own tools, for the tests (tests/conformance).
//   node consume.mjs messages REPORT.ndjson OUT.html OUT.xml
//     Cucumber Messages -> @cucumber/html-formatter (the HTML report) and
//     @cucumber/junit-xml-formatter (which reads every message through @cucumber/query);
//     prints one JSON line: {"cases": [{"name", "status"}...]} as @cucumber/query sees them.
//   node consume.mjs json REPORT.json OUT.html
//     Cucumber JSON -> cucumber-html-reporter; prints the scenario counts it computed.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { parseEnvelope } from '@cucumber/messages'
import { CucumberHtmlStream } from '@cucumber/html-formatter'
import { JUnitXmlPrinter } from '@cucumber/junit-xml-formatter'
import { Query } from '@cucumber/query'

const [mode, input, ...outputs] = process.argv.slice(2)

async function messages() {
  const lines = fs.readFileSync(input, 'utf-8').split('\n').filter((l) => l.trim())
  const envelopes = lines.map((line) => parseEnvelope(line))
  const query = new Query()
  let xml = ''
  const junit = new JUnitXmlPrinter({ suiteName: 'conform' }, (text) => { xml += text })
  for (const envelope of envelopes) {
    query.update(envelope)
    junit.update(envelope)
  }
  await pipeline(Readable.from(envelopes), new CucumberHtmlStream(), fs.createWriteStream(outputs[0]))
  fs.writeFileSync(outputs[1], xml)
  const cases = query.findAllTestCaseStarted().map((started) => ({
    name: query.findPickleBy(started).name,
    status: query.findMostSevereTestStepResultBy(started).status,
    steps: query.findTestStepFinishedAndTestStepBy(started).map(([finished, step]) => ({
      status: finished.testStepResult.status,
      text: step.pickleStepId ? query.findPickleStepBy(step).text : null,
      definitions: query.findStepDefinitionsBy(step).length,
    })),
  }))
  console.log(JSON.stringify({ cases, success: query.findTestRunFinished().success }))
}

async function json() {
  const require = createRequire(import.meta.url)
  const reporter = require('cucumber-html-reporter')
  await new Promise((resolve, reject) => {
    try {
      reporter.generate({
        theme: 'bootstrap', jsonFile: input, output: outputs[0], launchReport: false,
        reportSuiteAsScenarios: true, storeScreenshots: false, noInlineScreenshots: true,
        brandTitle: 'conform', name: 'conform',
      }, resolve)
    } catch (err) { reject(err) }
  })
  console.log(JSON.stringify({ html: fs.statSync(outputs[0]).size }))
}

if (mode === 'messages') await messages()
else if (mode === 'json') await json()
else { console.error('usage: consume.mjs messages|json INPUT OUTPUT...'); process.exit(2) }
