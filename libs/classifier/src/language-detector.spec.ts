import { detectLanguage } from './language-detector';

describe('detectLanguage', () => {
  it.each([
    ['en', 'Drug seizure at the border', ''],
    ['en', 'UNODC launches report', 'The report on the world drug situation was presented in Vienna to member states.'],
    ['ru', 'Наркотики', ''],
    ['ru', 'Изъято 5 кг героина', 'Сотрудники таможни обнаружили тайник в грузовике.'],
    ['zh', '禁毒合作', ''],
    ['zh', '国家禁毒办发布报告', '报告显示，全国吸毒人数持续下降。UNODC代表出席。'],
    ['fr', 'La Commission des stupéfiants retire le cannabis du tableau', "La décision a été prise lors d'un vote des États membres à Vienne."],
    ['es', 'Fabricación de fentanilo en la región', 'El informe del sistema de alerta temprana describe los laboratorios desmantelados por las autoridades.'],
    ['de', 'Beschlagnahme von Heroin an der Grenze', 'Die Polizei hat mit dem Zoll das Labor gefunden und die Täter festgenommen. Der Fall ist von Bedeutung für die Region, und die Ermittlungen mit den Nachbarn dauern an.'],
    ['it', 'Il sequestro di eroina al confine', 'La polizia ha trovato il laboratorio con una grande quantità di droga per il mercato del nord. Il caso di traffico è stato segnalato alla procura per le indagini.'],
    ['pt', 'Apreensão de cocaína no porto', 'A polícia não encontrou o laboratório, mas em cooperação com a alfândega apreendeu droga que seguia por mar, com destino a Lisboa. Não houve feridos em nenhuma das operações.'],
    ['uk', 'Поліція вилучила наркотики', 'Правоохоронці вилучили понад сто кілограмів наркотичних речовин у місті.'],
    ['und', '', '12345 — 678'],
  ])('%s: %s', (lang, title, text) => {
    expect(detectLanguage(title, text)).toBe(lang);
  });
});
